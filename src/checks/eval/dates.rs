//! Date parameters: which entries of a `name -> retirement date` table have
//! retired by a given day (`retired(%dates, %today)` in rules).

use crate::graph::{Value, ValueKind};
use crate::parse::Span;

/// The keys of `dates` (a map) whose value is an ISO date on or before
/// `today`, or no date at all (`long-deprecated`), as a list of strings.
/// `today` is `YYYY-MM-DD`, or `"today"` for the run date.
pub fn retired(dates: &Value, today: &Value) -> Result<Value, String> {
    let ValueKind::Map(entries) = &dates.kind else {
        return Err("retired(): the first parameter must be a map of dates".into());
    };
    let today = match today.as_str() {
        Some("today") => run_date(),
        Some(day) if is_iso_date(day) => day.to_string(),
        _ => return Err("retired(): the second parameter must be a YYYY-MM-DD date or \"today\"".into()),
    };
    let keys = entries
        .iter()
        .filter(|e| match e.value.as_str() {
            Some(day) if is_iso_date(day) => day <= today.as_str(),
            _ => true,
        })
        .map(|e| Value::new(Span::default(), ValueKind::String(e.key.clone())))
        .collect();
    Ok(Value::new(Span::default(), ValueKind::List(keys)))
}

/// `YYYY-MM-DD` (these compare correctly as text).
fn is_iso_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Today in UTC, or `PREFLIGHT_TODAY` when set (reproducible runs and tests).
pub(crate) fn run_date() -> String {
    if let Ok(day) = std::env::var("PREFLIGHT_TODAY")
        && is_iso_date(&day)
    {
        return day;
    }
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_date((seconds / 86_400) as i64)
}

/// The proleptic Gregorian date of a day count since 1970-01-01
/// (Howard Hinnant's `civil_from_days`).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::Prop;

    fn text(s: &str) -> Value {
        Value::new(Span::default(), ValueKind::String(s.into()))
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(11_016), "2000-02-29");
        assert_eq!(civil_date(20_780), "2026-11-23");
    }

    #[test]
    fn keeps_dates_on_or_before_today_and_undated_entries() {
        let table = Value::new(
            Span::default(),
            ValueKind::Map(
                [
                    ("old", "long-deprecated"),
                    ("a", "2024-01-08"),
                    ("b", "2026-11-23"),
                    ("c", "2027-04-30"),
                ]
                .iter()
                .map(|(k, v)| Prop {
                    key: k.to_string(),
                    key_span: Span::default(),
                    value: text(v),
                })
                .collect(),
            ),
        );
        let keys = retired(&table, &text("2026-11-23")).expect("valid");
        let ValueKind::List(items) = keys.kind else {
            panic!("a list")
        };
        let names: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
        assert_eq!(names, ["old", "a", "b"]);
        assert!(retired(&table, &text("tomorrow")).is_err());
        assert!(retired(&text("x"), &text("2026-01-01")).is_err());
    }
}
