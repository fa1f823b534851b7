// A meeting from start to finish on phones: the secretary schedules it, one member asks for
// leave and the secretary approves, another member checks in with the code read from the
// secretary's screen, the secretary writes and submits the minutes, the superior sends them
// back with a reason, and the member's calendar feed (.ics) carries the meeting.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { BASE, launch, phone, signIn, go, shot, hydrated, assertNoSidewaysScroll } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// A moment as the form's datetime-local wants it, in Asia/Shanghai.
const shanghai = (ms) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 16);
// Moves a meeting's start to a minute ago (an hour long), in the portal's database.
function startNow(id) {
  const url = process.env.E2E_DATABASE_URL;
  assert.ok(url, 'E2E_DATABASE_URL is not set');
  execFileSync('psql', [url, '-qAtc',
    `UPDATE meetings SET starts_at = now() - interval '1 minute', ends_at = now() + interval '59 minutes' WHERE id = ${id}`]);
}
const sleepUntil = async (ms) => { const d = ms - Date.now(); if (d > 0) await new Promise((r) => setTimeout(r, d)); };

test('a secretary, two members and the superior go through a meeting with leave, check-in, minutes and review', async () => {
  // Leave closes 20 minutes before the start, check-in opens then: a start 21 to 22 minutes
  // away leaves a minute for the leave and then waits a minute for the check-in.
  const start = Math.ceil(Date.now() / 60_000) * 60_000 + 21 * 60_000;
  const title = '十二月党小组会';

  const sec = await phone(browser);
  const pages = [];
  // On a failure, every phone's screen is kept for a look.
  const keep = async () => { for (const [name, p] of pages) await shot(p, `meeting-failed-${name}`).catch(() => {}); };
  pages.push(['secretary', sec.page]);
  try {
    await signIn(sec.page, 'secretary');
    await sec.page.locator('nav.tabbar').getByRole('link', { name: '组织生活' }).click();
    await sec.page.waitForURL('**/orglife');
    await hydrated(sec.page);
    await sec.page.getByRole('link', { name: '安排会议' }).click();
    await sec.page.waitForURL(/\/orglife\/schedule/);
    await hydrated(sec.page);
    await sec.page.selectOption('#f-kind', 'group_meeting');
    await sec.page.fill('#f-title', title);
    await sec.page.fill('#f-starts', shanghai(start));
    await sec.page.fill('#f-ends', shanghai(start + 3600_000));
    await sec.page.fill('#f-place', '星云大厦 5 楼小会议室');
    await sec.page.fill('#f-chair', '李晓燕');
    await Promise.all([sec.page.waitForURL(/month=/), sec.page.getByRole('button', { name: '安排会议' }).click()]);
    await hydrated(sec.page);
    await Promise.all([sec.page.waitForURL(/\/orglife\/meeting\/\d+$/), sec.page.getByRole('link', { name: title, exact: true }).click()]);
    const meeting = new URL(sec.page.url()).pathname;
    await hydrated(sec.page);
    await sec.page.getByText('签到将于会议开始前 20 分钟开放').first().waitFor();

    // 赵一鸣 asks for leave; an empty reason is refused first.
    const mover = await phone(browser);
    pages.push(['mover', mover.page]);
    await signIn(mover.page, 'mover');
    await go(mover.page, meeting);
    await mover.page.getByText('请假', { exact: true }).click();
    await mover.page.getByRole('button', { name: '提交请假' }).click();
    await mover.page.getByText('请假理由请写 2 到 200 个字').waitFor();
    await mover.page.fill('#f-reason', '在杭州出差');
    await mover.page.getByRole('button', { name: '提交请假' }).click();
    await mover.page.getByText('请假待批').waitFor();
    await shot(mover.page, 'meeting-leave');

    // The secretary approves it; the member sees the answer.
    await sec.page.reload();
    await hydrated(sec.page);
    await sec.page.getByText('在杭州出差').waitFor();
    await sec.page.getByRole('button', { name: '批准 赵一鸣', exact: true }).click();
    await sec.page.getByText('已准假').first().waitFor();
    await mover.page.reload();
    await hydrated(mover.page);
    await mover.page.getByText('已准假').waitFor();
    assert.equal(await mover.page.locator('#f-code').count(), 0, 'nothing to check in to yet');

    // Check-in opens 20 minutes before the start; the secretary's screen shows the code.
    await sleepUntil(start - 20 * 60_000 + 1500);
    const code = sec.page.getByTestId('check-in-code');
    await code.waitFor({ timeout: 15_000 });
    await sec.page.locator('.qr svg').waitFor();
    await assertNoSidewaysScroll(sec.page, assert);
    await shot(sec.page, 'meeting-code');

    // 王小明 types the code he reads off the secretary's screen.
    const member = await phone(browser);
    pages.push(['member', member.page]);
    await signIn(member.page, 'member');
    await go(member.page, meeting);
    await member.page.fill('#f-code', '000000');
    await member.page.getByRole('button', { name: '签到', exact: true }).click();
    await member.page.getByText('签到码不对或已过期').waitFor();
    for (let tries = 0; ; tries++) {
      await member.page.fill('#f-code', (await code.textContent()).trim());
      await member.page.getByRole('button', { name: '签到', exact: true }).click();
      try {
        await member.page.getByText('已签到，积分已记入').waitFor({ timeout: 5_000 });
        break;
      } catch (e) {
        // The code turned over between reading and typing; read the new one.
        if (tries >= 2) throw e;
      }
    }
    await shot(member.page, 'meeting-checked-in');
    await sec.page.getByText('已签到 1 / 应到').waitFor({ timeout: 10_000 });

    // Minutes wait for the start: before it the record cannot be written. Then the clock
    // moves on (the meeting's start is put a minute back in the database, as twenty minutes
    // of waiting would) and the secretary writes the minutes, saves and submits them.
    await sec.page.getByText('会议开始后才能登记出席和填写纪要').waitFor();
    assert.equal(await sec.page.locator('#f-minutes').count(), 0, 'minutes open before the start');
    startNow(Number(meeting.split('/').pop()));
    await sec.page.reload();
    await hydrated(sec.page);
    await sec.page.fill('#f-minutes', '学习了党章第三章；大家交流了本季度的学习体会。');
    await sec.page.fill('#f-resolutions', '下月开展一次志愿服务。');
    await sec.page.getByRole('button', { name: '保存纪要' }).click();
    await sec.page.getByText('已保存第 1 版').waitFor();
    await sec.page.getByRole('button', { name: '提交上级审阅' }).click();
    await sec.page.getByText('待审阅').waitFor();

    // 研发党总支 above the branch has no admin of its own: the record waits on the company
    // committee's compliance page, and its admin opens it from there and sends it back
    // with a reason.
    const boss = await phone(browser);
    pages.push(['superior', boss.page]);
    await signIn(boss.page, 'orgadmin');
    await go(boss.page, '/orglife/compliance');
    const waiting = boss.page.getByTestId('compliance-waiting');
    await waiting.getByText(/今天提交/).first().waitFor();
    await shot(boss.page, 'orglife-compliance-waiting');
    await Promise.all([
      boss.page.waitForURL('**' + meeting),
      waiting.getByRole('link', { name: new RegExp(title) }).first().click(),
    ]);
    await hydrated(boss.page);
    await boss.page.getByRole('button', { name: '退回修改' }).click();
    await boss.page.getByText('退回请写明理由').waitFor();
    await boss.page.fill('#f-return-reason', '请补充每位党员的发言要点');
    await boss.page.getByRole('button', { name: '退回修改' }).click();
    await boss.page.getByText('已退回').first().waitFor();
    await shot(boss.page, 'meeting-sent-back');

    // The secretary sees why, and the unread count on the tab bar.
    await go(sec.page, meeting);
    await sec.page.getByText('请补充每位党员的发言要点').first().waitFor();
    await sec.page.locator('.tab-badge').waitFor();
    await shot(sec.page, 'meeting-returned');

    // The printable record lists who was present and who was on leave, and why.
    await go(sec.page, `${meeting}/print`);
    await sec.page.getByText('王小明').first().waitFor();
    await sec.page.getByText(/赵一鸣（已准假：在杭州出差）/).waitFor();

    // The superior's compliance page shows the branches below by on-time rate.
    await go(boss.page, '/orglife/compliance');
    await boss.page.getByTestId('compliance-summary').waitFor();
    await boss.page.getByText('前端开发党支部').first().waitFor();
    await boss.page.getByText('半年未开展').first().waitFor();
    await assertNoSidewaysScroll(boss.page, assert);
    await shot(boss.page, 'orglife-compliance');

    // The member's calendar feed carries the meeting.
    await go(member.page, '/orglife');
    await member.page.getByRole('heading', { name: '我要参加的会议' }).waitFor();
    await member.page.getByRole('link', { name: new RegExp(title) }).first().waitFor();
    await member.page.locator('table.month-grid td.busy').first().waitFor();
    await shot(member.page, 'orglife-member-calendar');
    const feed = await member.page.inputValue('#feed-url');
    assert.match(feed, /\/calendar\/[a-z0-9]{32}\.ics$/);
    const ics = await (await member.page.request.get(feed.replace(/^https?:\/\/[^/]+/, BASE))).text();
    assert.match(ics, /BEGIN:VCALENDAR/);
    assert.match(ics, new RegExp(`SUMMARY:${title}`));

    for (const p of [sec.page, mover.page, member.page, boss.page]) assert.deepEqual(p.errors, []);
    for (const c of [sec, mover, member, boss]) await c.context.close();
  } catch (e) {
    await keep();
    throw e;
  }
});
