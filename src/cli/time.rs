//! Durations and times as people type and read them: `--for 90m`, `--until 2027-03-31`,
//! "in 3h 12m", local time with its offset, and "—" for a time that is absent.

use chrono::{DateTime, Local, NaiveDate, NaiveTime, TimeDelta, TimeZone, Utc};

/// Shown where a time or value is absent.
pub const ABSENT: &str = "—";

/// Parses a duration such as `4h`, `90m`, `1h30m`, `30d` or `2w`.
pub fn parse_duration(text: &str) -> Result<TimeDelta, String> {
    let text = text.trim();
    let bad = || format!("invalid duration `{text}`: write e.g. `4h`, `90m`, `1h30m` or `30d`");
    if text.is_empty() {
        return Err(bad());
    }
    let mut total = TimeDelta::zero();
    let mut rest = text;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
        if digits == 0 {
            return Err(bad());
        }
        let n: i64 = rest[..digits].parse().map_err(|_| bad())?;
        let unit_len =
            rest[digits..].find(|c: char| c.is_ascii_digit()).unwrap_or(rest.len() - digits);
        let part = match &rest[digits..digits + unit_len] {
            "w" => TimeDelta::try_weeks(n),
            "d" => TimeDelta::try_days(n),
            "h" => TimeDelta::try_hours(n),
            "m" | "min" => TimeDelta::try_minutes(n),
            "s" => TimeDelta::try_seconds(n),
            _ => None,
        }
        .ok_or_else(bad)?;
        total = total.checked_add(&part).ok_or_else(bad)?;
        rest = &rest[digits + unit_len..];
    }
    if total <= TimeDelta::zero() {
        return Err(format!("invalid duration `{text}`: it must be more than zero"));
    }
    Ok(total)
}

/// Parses `--until`: a date means the end of that day in `tz`; a full RFC 3339 time is taken
/// as it is.
pub fn parse_until<Tz: TimeZone>(text: &str, tz: &Tz) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&Utc));
    }
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("invalid date `{text}`: write YYYY-MM-DD or an RFC 3339 time"))?;
    let end = date.and_time(NaiveTime::from_hms_opt(23, 59, 59).expect("valid time"));
    tz.from_local_datetime(&end)
        .latest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| format!("`{text}` does not exist in the local time zone"))
}

/// A span of time in its two largest units: `3h 12m`, `2d 4h`, `45s`.
pub fn format_span(delta: TimeDelta) -> String {
    let secs = delta.num_seconds().abs();
    let (d, h, m, s) = (secs / 86_400, secs % 86_400 / 3_600, secs % 3_600 / 60, secs % 60);
    let parts: Vec<String> = [(d, "d"), (h, "h"), (m, "m"), (s, "s")]
        .iter()
        .skip_while(|(n, _)| *n == 0)
        .take(2)
        .filter(|(n, _)| *n != 0)
        .map(|(n, unit)| format!("{n}{unit}"))
        .collect();
    if parts.is_empty() { "0s".to_string() } else { parts.join(" ") }
}

fn to_the_second(delta: TimeDelta) -> TimeDelta {
    let millis = delta.num_milliseconds();
    TimeDelta::seconds((millis + millis.signum() * 500) / 1000)
}

/// `in 3h 12m`, `5m ago`, or `now`, relative to `now`.
pub fn relative(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    // To the nearest second: `now` is the server's clock carried forward by the local one,
    // a few milliseconds past the instant the server answered, and truncating would turn a
    // 4-hour activation into "in 3h 59m".
    let delta = to_the_second(t - now);
    if delta.num_seconds().abs() < 1 {
        "now".to_string()
    } else if delta > TimeDelta::zero() {
        format!("in {}", format_span(delta))
    } else {
        format!("{} ago", format_span(delta))
    }
}

/// An instant for people: local time with its UTC offset, or UTC with `--utc`.
pub fn format_time(t: DateTime<Utc>, utc: bool) -> String {
    if utc {
        t.format("%Y-%m-%d %H:%M UTC").to_string()
    } else {
        t.with_timezone(&Local).format("%Y-%m-%d %H:%M %:z").to_string()
    }
}

/// An instant and how far it is from now: `2026-12-03 17:45 +01:00 (in 3h 12m)`.
pub fn format_time_relative(t: Option<DateTime<Utc>>, now: DateTime<Utc>, utc: bool) -> String {
    match t {
        Some(t) => format!("{} ({})", format_time(t, utc), relative(t, now)),
        None => ABSENT.to_string(),
    }
}

/// Days between now and the end of an instant, for dates far ahead: `118 days left`.
pub fn days_left(until: DateTime<Utc>, now: DateTime<Utc>) -> String {
    if until < now {
        return format!("ended {} ago", format_span(now - until));
    }
    match to_the_second(until - now).num_days() {
        0 => format!("ends {}", relative(until, now)),
        1 => "1 day left".to_string(),
        d => format!("{d} days left"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn durations_take_units_and_combinations() {
        assert_eq!(parse_duration("4h").unwrap(), TimeDelta::hours(4));
        assert_eq!(parse_duration("90m").unwrap(), TimeDelta::minutes(90));
        assert_eq!(parse_duration("1h30m").unwrap(), TimeDelta::minutes(90));
        assert_eq!(parse_duration("30d").unwrap(), TimeDelta::days(30));
        assert_eq!(parse_duration("2w").unwrap(), TimeDelta::days(14));
    }

    #[test]
    fn durations_without_units_or_zero_are_refused() {
        for bad in ["", "4", "h", "0m", "4x", "-4h", "4h-", "99999999999999999w"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_date_means_the_end_of_that_day_in_the_zone() {
        let east = FixedOffset::east_opt(2 * 3600).unwrap();
        assert_eq!(parse_until("2027-03-31", &east).unwrap(), at("2027-03-31T21:59:59Z"));
        let west = FixedOffset::west_opt(5 * 3600).unwrap();
        assert_eq!(parse_until("2027-03-31", &west).unwrap(), at("2027-04-01T04:59:59Z"));
        assert_eq!(parse_until("2027-03-31T10:00:00Z", &Utc).unwrap(), at("2027-03-31T10:00:00Z"));
        assert!(parse_until("31/03/2027", &Utc).is_err());
    }

    #[test]
    fn spans_show_their_two_largest_units() {
        assert_eq!(format_span(TimeDelta::minutes(192)), "3h 12m");
        assert_eq!(format_span(TimeDelta::hours(52)), "2d 4h");
        assert_eq!(format_span(TimeDelta::seconds(45)), "45s");
        assert_eq!(format_span(TimeDelta::hours(4)), "4h");
        assert_eq!(format_span(TimeDelta::zero()), "0s");
    }

    #[test]
    fn relative_times_say_in_or_ago() {
        let now = at("2026-12-03T12:00:00Z");
        assert_eq!(relative(at("2026-12-03T15:12:00Z"), now), "in 3h 12m");
        assert_eq!(relative(at("2026-12-03T11:55:00Z"), now), "5m ago");
        assert_eq!(relative(now, now), "now");
        let just_after = now + TimeDelta::milliseconds(30);
        assert_eq!(relative(at("2026-12-03T16:00:00Z"), just_after), "in 4h");
        assert_eq!(relative(at("2026-12-03T11:00:00Z"), just_after), "1h ago");
    }

    #[test]
    fn an_absent_time_shows_as_a_dash() {
        assert_eq!(format_time_relative(None, Utc::now(), true), "—");
        let now = at("2026-12-03T12:00:00Z");
        assert_eq!(
            format_time_relative(Some(at("2026-12-03T16:00:00Z")), now, true),
            "2026-12-03 16:00 UTC (in 4h)"
        );
    }

    #[test]
    fn days_left_counts_whole_days() {
        let now = at("2026-12-03T12:00:00Z");
        assert_eq!(days_left(at("2026-12-13T12:00:00Z"), now), "10 days left");
        assert_eq!(days_left(at("2026-12-03T15:00:00Z"), now), "ends in 3h");
        assert_eq!(days_left(at("2026-12-01T12:00:00Z"), now), "ended 2d ago");
    }
}
