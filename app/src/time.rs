//! The Asia/Shanghai calendar that every feature counts in: its days and Monday weeks, and
//! moments as people here write and read them. China Standard Time is UTC+8 all year.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};

use crate::error::Msg;

/// China Standard Time: UTC+8 all year (no daylight saving).
pub fn shanghai() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("a valid offset")
}

/// The Asia/Shanghai calendar day of a moment.
pub fn day_of(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&shanghai()).date_naive()
}

/// The Monday that starts the Asia/Shanghai week of a day.
pub fn week_start(day: NaiveDate) -> NaiveDate {
    day - chrono::Days::new(u64::from(day.weekday().num_days_from_monday()))
}

/// The moment an Asia/Shanghai day begins.
pub fn start_of(day: NaiveDate) -> Option<DateTime<Utc>> {
    day.and_hms_opt(0, 0, 0)
        .and_then(|t| t.and_local_timezone(shanghai()).single())
        .map(|t| t.with_timezone(&Utc))
}

/// A moment as people here read it: "2026-11-26 19:00", Asia/Shanghai.
pub fn local_minute(t: DateTime<Utc>) -> String {
    t.with_timezone(&shanghai())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// A moment given in Asia/Shanghai time as a browser's `datetime-local` field sends it
/// ("2026-11-23T09:30", seconds optional).
pub fn parse_local_datetime(input: &str) -> Result<DateTime<Utc>, Msg> {
    let s = input.trim();
    let naive = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S"))
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M"))
        .map_err(|_| Msg::DateTimeInvalid)?;
    naive
        .and_local_timezone(shanghai())
        .single()
        .map(|t| t.with_timezone(&Utc))
        .ok_or(Msg::DateTimeInvalid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[test]
    fn the_day_turns_at_shanghai_midnight_not_utc_midnight() {
        // 15:59 UTC is 23:59 in Shanghai; 16:00 UTC is the next day there.
        assert_eq!(day_of(utc(2026, 11, 23, 15, 59)).to_string(), "2026-11-23");
        assert_eq!(day_of(utc(2026, 11, 23, 16, 0)).to_string(), "2026-11-24");
        let day = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        assert_eq!(start_of(day), Some(utc(2026, 11, 23, 16, 0)));
    }

    #[test]
    fn weeks_start_on_monday_in_shanghai() {
        let monday = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(
            week_start(NaiveDate::from_ymd_opt(2026, 11, 29).unwrap()),
            monday
        );
        assert_eq!(week_start(monday), monday);
    }

    #[test]
    fn moments_are_written_and_read_in_shanghai_time() {
        let t = utc(2026, 11, 26, 11, 0);
        assert_eq!(local_minute(t), "2026-11-26 19:00");
        assert_eq!(parse_local_datetime("2026-11-26T19:00"), Ok(t));
        assert_eq!(parse_local_datetime(" 2026-11-26 19:00 "), Ok(t));
        assert_eq!(parse_local_datetime("2026-11-26T19:00:00"), Ok(t));
        assert_eq!(
            parse_local_datetime("26/11/2026"),
            Err(Msg::DateTimeInvalid)
        );
    }
}
