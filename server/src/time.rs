//! Wall-clock time as stored: Unix milliseconds, UTC.

/// Milliseconds since the Unix epoch now.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Unix milliseconds as "YYYY-MM-DD HH:MM:SS UTC" (civil-from-days, H. Hinnant).
pub fn format_utc(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// Unix milliseconds as RFC 3339 "YYYY-MM-DDTHH:MM:SSZ" (what APIs exchange).
pub fn rfc3339_utc(ms: i64) -> String {
    let text = format_utc(ms);
    format!("{}T{}Z", &text[..10], &text[11..19])
}

/// Unix milliseconds as "YYYY-MM-DD" (UTC).
pub fn date_utc(ms: i64) -> String {
    format_utc(ms).chars().take(10).collect()
}

/// Unix milliseconds as "YYYY-MM-DD HH:MM UTC".
pub fn minute_utc(ms: i64) -> String {
    format!("{} UTC", format_utc(ms).chars().take(16).collect::<String>())
}

/// The start of a day "YYYY-MM-DD" (UTC) in Unix milliseconds; `None`
/// when it is not a real date (days-from-civil, H. Hinnant).
pub fn parse_date_utc(date: &str) -> Option<i64> {
    let mut parts = date.trim().splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (year, month, day): (i64, i64, i64) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days_in_month = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month[(month - 1) as usize] {
        return None;
    }
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some((era * 146_097 + doe - 719_468) * 86_400_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_reads_back_as_it_is_written() {
        for ms in [0_i64, 951_782_400_000, 1_800_000_000_000, 4_102_444_800_000] {
            let day_start = ms - ms.rem_euclid(86_400_000);
            assert_eq!(parse_date_utc(&date_utc(ms)), Some(day_start), "{}", date_utc(ms));
        }
        assert_eq!(parse_date_utc("2024-02-29"), Some(1_709_164_800_000));
        for bad in ["2023-02-29", "2026-13-01", "2026-1-01", "yesterday", "", "2026-00-10"] {
            assert_eq!(parse_date_utc(bad), None, "{bad}");
        }
    }

    #[test]
    fn times_are_shown_in_utc() {
        assert_eq!(format_utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(format_utc(1_795_437_909_000), "2026-11-23 12:45:09 UTC");
        assert_eq!(format_utc(951_782_400_000), "2000-02-29 00:00:00 UTC");
    }

    #[test]
    fn dates_and_minutes_are_cut_from_the_same_utc_time() {
        assert_eq!(date_utc(1_795_437_909_000), "2026-11-23");
        assert_eq!(minute_utc(1_795_437_909_000), "2026-11-23 12:45 UTC");
        assert_eq!(rfc3339_utc(1_795_437_909_000), "2026-11-23T12:45:09Z");
    }
}
