//! Every user-facing string, in zh-CN and English. One line per key: `key: "中文", "English";`
//! Placeholders in braces (`{minutes}`, `{id}`) are filled in by the caller.

macro_rules! strings {
    ($($key:ident: $zh:literal, $en:literal;)*) => {
        /// The UI's words in one language.
        pub struct Strings {
            $(pub $key: &'static str,)*
        }
        pub static ZH_CN: Strings = Strings { $($key: $zh,)* };
        pub static EN: Strings = Strings { $($key: $en,)* };
    };
}

strings! {
    app_name: "青年e家", "Youth e-Home";
    tagline: "学习 · 积分 · 组织生活，一站办理", "Study, points and organization life in one place";
    loading: "加载中…", "Loading…";
    back: "返回", "Back";
    back_to_me: "返回“我的”", "Back to Me";
    save: "保存", "Save";
    saved: "已保存", "Saved";
    add: "添加", "Add";
    revoke: "撤销", "Revoke";
    expired: "已过期", "Expired";
    people: "人", "members";
    since: "加入于", "since";
    breadcrumbs: "所在位置", "You are here";
    settings: "设置", "Settings";
    language: "语言", "Language";
    tabs_label: "主导航", "Main navigation";
    tab_me: "我的", "Me";
    tab_points: "积分", "Points";

    sign_in: "登录", "Sign in";
    signing_in: "正在登录…", "Signing in…";
    sign_in_title: "登录青年e家", "Sign in to Youth e-Home";
    sign_up: "注册", "Sign up";
    signing_up: "正在注册…", "Signing up…";
    sign_up_title: "凭邀请码注册", "Sign up with an invitation code";
    sign_up_lead: "邀请码由你所在支部的书记或组织管理员发放，注册后自动加入该支部。", "Your branch secretary or organization admin gives you an invitation code; signing up places you in that branch.";
    sign_up_with_code: "凭邀请码注册", "Sign up with an invitation code";
    sign_out: "退出登录", "Sign out";
    no_account: "还没有账号？", "No account yet?";
    have_account: "已有账号？", "Already have an account?";
    change_password: "修改密码", "Change password";
    password_changed: "密码已修改。", "Your password has been changed.";

    field_login: "手机号或用户名", "Phone number or user name";
    field_password: "密码", "Password";
    field_password_confirm: "再次输入密码", "Repeat the password";
    field_current_password: "当前密码", "Current password";
    field_new_password: "新密码", "New password";
    field_code: "邀请码", "Invitation code";
    field_display_name: "姓名", "Name";
    field_phone: "手机号", "Phone number";
    field_username: "用户名（选填）", "User name (optional)";
    field_kind: "组织类型", "Level";
    field_org_name: "组织名称", "Name";
    field_credit_code: "统一社会信用代码（选填）", "Unified social credit code (optional)";
    field_status: "身份", "Status";
    field_days: "有效天数", "Valid for (days)";
    field_uses: "可用次数", "Number of uses";
    field_assignee: "成员手机号或用户名", "Member's phone number or user name";
    field_role: "职务", "Role";
    field_new_parent: "新的上级组织", "New parent organization";
    hint_login: "例如 13800138000", "For example 13800138000";
    hint_code: "8 位字母和数字，不区分大小写", "8 letters and digits, any case";
    hint_username: "3–32 位小写字母、数字或 _ . -，以字母开头", "3–32 lower-case letters, digits or _ . -, starting with a letter";
    hint_password: "至少 8 位，不能是常见密码", "At least 8 characters, not a common password";
    hint_credit_code: "18 位，关联台账中的企业", "18 characters; links the enterprise from the ledger";

    msg_required: "请填写此项。", "Please fill this in.";
    msg_too_long: "内容过长。", "This is too long.";
    msg_password_too_short: "密码至少需要 8 位。", "The password needs at least 8 characters.";
    msg_password_too_common: "这个密码太常见，容易被猜到，请换一个。", "This password is too common and easy to guess; please choose another.";
    msg_password_mismatch: "两次输入的密码不一致。", "The two passwords do not match.";
    msg_phone_invalid: "请输入 11 位手机号。", "Please enter an 11-digit mobile number.";
    msg_username_invalid: "用户名格式不正确。", "This user name is not in the right form.";
    msg_login_invalid: "请输入手机号或用户名。", "Please enter a phone number or user name.";
    msg_name_invalid: "名称格式不正确。", "This name is not in the right form.";
    msg_phone_taken: "该手机号已注册，请直接登录。", "This phone number is already registered; please sign in.";
    msg_username_taken: "该用户名已被使用。", "This user name is taken.";
    msg_invitation_unknown: "邀请码不正确，请核对后重新输入。", "This invitation code is not right; please check it.";
    msg_invitation_expired: "邀请码已过期，请向支部书记索取新的邀请码。", "This invitation code has expired; ask your branch secretary for a new one.";
    msg_invitation_used_up: "邀请码的使用次数已满，请向支部书记索取新的邀请码。", "This invitation code has been used up; ask your branch secretary for a new one.";
    msg_invitation_validity: "有效天数应为 1 到 90。", "Validity must be 1 to 90 days.";
    msg_invitation_uses: "可用次数应为 1 到 500。", "Uses must be 1 to 500.";
    msg_bad_credentials: "账号或密码不正确。", "The account or password is not right.";
    msg_wrong_current_password: "当前密码不正确。", "The current password is not right.";
    msg_credit_code_invalid: "统一社会信用代码不正确（18 位，末位为校验码）。", "This credit code is not valid (18 characters, the last a check character).";
    msg_credit_code_taken: "该统一社会信用代码已登记。", "This credit code is already registered.";
    msg_enterprise_unknown: "台账中没有这个统一社会信用代码的企业。", "No enterprise in the ledger has this credit code.";
    msg_kind_not_allowed: "这一层级的组织不能设在这里。", "An organization of this level cannot sit here.";
    msg_status_not_in_tree: "该身份不属于这个组织体系。", "This status does not belong to this tree.";
    msg_move_into_own_subtree: "不能移到自身或其下级组织之下。", "An organization cannot move under itself or its own sub-organizations.";
    msg_user_unknown: "没有找到这个成员。", "No member with this phone number or user name.";
    msg_role_not_for_kind: "这一职务不适用于该层级的组织。", "This role does not apply at this level.";
    msg_role_already_held: "该成员已担任此职务。", "This member already holds this role.";
    msg_duplicate: "该内容已存在，可能已被他人添加。", "This already exists; someone may have added it just now.";
    msg_already_in_tree: "该成员已在这个组织体系中，请办理组织关系转接。", "This member already belongs to this tree; use a transfer instead.";

    err_unauthenticated: "请先登录。", "Please sign in first.";
    err_forbidden: "你没有查看或操作此内容的权限。", "You are not allowed to see or do this.";
    err_not_found: "没有找到该内容，它可能已被删除。", "This could not be found; it may have been removed.";
    err_invalid: "请检查填写的内容。", "Please check what you entered.";
    err_fix_fields: "请按提示修改下面标红的内容。", "Please correct the fields marked below.";
    err_rate_limited: "尝试次数过多，请在 {minutes} 分钟后再试。", "Too many attempts. Please try again in {minutes} minutes.";
    err_bad_request: "请求不完整或格式不正确，请刷新页面后重试。", "The request was incomplete or malformed; please reload the page and try again.";
    err_network: "网络连接失败，请检查网络后重试。", "Could not reach the server; please check your connection and try again.";
    err_internal: "出了点问题，请稍后再试。如需求助，请提供编号 {id}。", "Something went wrong. Please try again later. If you ask for help, quote {id}.";
    not_found_title: "页面不存在", "Page not found";
    not_found_body: "你访问的页面不存在或已被移走。", "The page you asked for does not exist or has moved.";

    my_orgs: "我的组织", "My organizations";
    no_orgs: "你还没有加入任何组织。", "You do not belong to any organization yet.";
    my_roles: "我的职务", "My roles";
    no_roles: "暂无职务。", "No roles.";
    whole_platform: "全平台", "The whole platform";
    org_admin_entry: "组织管理", "Manage organizations";

    tree_party: "党组织", "Party";
    tree_league: "团组织", "League";
    tree_switch: "组织体系", "Tree";
    kind_party_industry_committee: "行业党委", "Industry Party committee";
    kind_party_committee: "党委", "Party committee";
    kind_party_general_branch: "党总支", "General Party branch";
    kind_party_branch: "党支部", "Party branch";
    kind_party_joint_branch: "联合党支部", "Joint Party branch";
    kind_party_group: "党小组", "Party group";
    kind_league_industry_committee: "行业团委", "Industry League committee";
    kind_league_committee: "团委", "League committee";
    kind_league_general_branch: "团总支", "General League branch";
    kind_league_branch: "团支部", "League branch";
    kind_league_joint_branch: "联合团支部", "Joint League branch";
    kind_league_group: "团小组", "League group";
    status_applicant: "入党申请人", "Applicant";
    status_activist: "入党积极分子", "Activist";
    status_candidate: "发展对象", "Development candidate";
    status_probationary: "预备党员", "Probationary member";
    status_full: "正式党员", "Full member";
    status_league_activist: "入团积极分子", "League activist";
    status_league_member: "团员", "League member";
    status_young_employee: "青年职工", "Young employee";
    role_secretary: "支部书记", "Branch secretary";
    role_committee_member: "支委委员", "Committee member";
    role_org_admin: "组织管理员", "Organization admin";
    role_platform_admin: "平台管理员", "Platform admin";

    org_admin_title: "组织管理", "Organizations";
    org_detail_title: "组织详情", "Organization";
    search_orgs: "搜索组织名称", "Search organizations by name";
    no_orgs_in_tree: "这里还没有组织。", "There are no organizations here yet.";
    no_search_results: "没有名称匹配的组织。", "No organization matches.";
    add_top_org: "添加顶层组织", "Add a top-level organization";
    add_sub_org: "添加下级组织", "Add a sub-organization";
    org_added: "组织已添加。", "Organization added.";
    sub_orgs: "下级组织", "Sub-organizations";
    rename_org: "修改名称", "Rename";
    move_org: "调整隶属关系", "Move";
    move_org_lead: "连同其全部下级组织和成员一起移动。", "Moves it with all its sub-organizations and members.";
    move_here: "移动到所选组织之下", "Move under the chosen organization";
    roster: "支部成员", "Branch members";
    roster_empty: "支部还没有成员。发放邀请码，让成员注册加入。", "No members yet. Issue an invitation code so that members can sign up.";
    col_name: "姓名", "Name";
    col_status: "身份", "Status";
    col_since: "加入时间", "Since";
    col_code: "邀请码", "Code";
    col_used: "已用", "Used";
    col_expires: "有效期至", "Valid until";
    invitations: "邀请码", "Invitation codes";
    invitations_lead: "成员凭邀请码注册后直接进入本支部。", "Members who sign up with a code join this branch.";
    issue_invitation: "生成邀请码", "Issue a code";
    invitation_issued: "新邀请码：", "New code:";
    invitation_link: "注册链接：", "Sign-up link:";
    no_invitations: "还没有发放邀请码。", "No codes issued yet.";
    role_holders: "书记、委员和管理员", "Secretaries, committee and admins";
    no_role_holders: "尚未任命。", "Nobody appointed yet.";
    assign_role: "任命", "Appoint";

    points_today: "今日积分", "Today";
    points_week: "本周", "This week";
    points_month: "本月", "This month";
    points_year: "本年", "This year";
    points_all: "累计", "All time";
    points_progress: "今日进度", "Today's progress";
    points_progress_lead: "积分是学习的记录，不是任务：想学多少就学多少。", "Points record your learning; they are not a quota. Learn as much as you like.";
    points_history: "积分明细", "Points history";
    points_history_empty: "还没有积分记录。", "No points yet.";
    load_more: "加载更多", "Load more";
    per_time: "每次 {n} 分", "{n} point(s) each time";
    per_minute: "每分钟 {n} 分", "{n} point(s) per minute";
    per_correct_answer: "每答对一题 {n} 分", "{n} point(s) per correct answer";
    per_score_band: "按得分档计分", "Scored by band";
    cap_day: "，每日上限 {n} 分", ", up to {n} a day";
    cap_week: "，每周上限 {n} 分", ", up to {n} a week";
    cap_item: "，每项上限 {n} 分", ", up to {n} each";
    source_sign_in: "{id} 登录", "signed in on {id}";
    source_week: "{id} 起的一周", "the week from {id}";
    rule_daily_sign_in: "每日登录", "Daily sign-in";
    rule_article_read: "阅读文章", "Read an article";
    rule_reading_time: "文章学习时长", "Reading time";
    rule_video_watch: "观看视频", "Watch a video";
    rule_video_time: "视频学习时长", "Video time";
    rule_daily_quiz: "每日答题", "Daily quiz";
    rule_weekly_quiz: "每周答题", "Weekly quiz";
    rule_special_quiz: "专项答题", "Special quiz";
    rule_meeting_attend: "参加组织生活并签到", "Attend a meeting and check in";
    rule_notice_ack: "按时签阅通知", "Acknowledge a notice in time";
    rule_no_sign_in_week: "一周未登录", "A week without signing in";
}
