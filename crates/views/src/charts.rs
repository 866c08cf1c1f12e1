//! SVG charts drawn with plotters: declared levels against a limit over the years, and observed
//! forces against notification thresholds over days, with the dates that matter marked.

use accord_agreements::{Agreement, Limit, Provision, Status};
use accord_messages::{Lang, format};
use accord_model::{Arg, Date, Instant, Message, PartyId};
use accord_state::{State, date_of};
use plotters::prelude::*;

/// A chart that could not be drawn.
#[derive(Debug, Clone, thiserror::Error)]
#[error("chart {title}: {message}")]
pub struct ChartError {
    /// The chart's title.
    pub title: String,
    /// What the drawing backend reported.
    pub message: String,
}

/// One entry of a chart's legend, shown beside the chart rather than over its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegendItem {
    /// What the line or mark stands for.
    pub label: String,
    /// Its colour, as CSS (`#c80000`).
    pub colour: String,
    /// Whether it is drawn dashed (a date mark) rather than solid.
    pub dashed: bool,
}

/// A drawn chart: the SVG and its legend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drawn {
    /// The SVG text.
    pub svg: String,
    /// The legend, in drawing order.
    pub legend: Vec<LegendItem>,
}

fn css(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

fn item(label: impl Into<String>, c: RGBColor, dashed: bool) -> LegendItem {
    LegendItem {
        label: label.into(),
        colour: css(c),
        dashed,
    }
}

/// One point of a declared-level series: when, how much, which record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelPoint {
    /// The date the figures hold for.
    pub as_of: Date,
    /// The counted level.
    pub level: u64,
    /// The declaration record.
    pub record: accord_model::RecordId,
}

/// Declared levels further apart than this many days leave a gap in the line.
pub const GAP_DAYS: i64 = 270;

/// The declared levels of a party under a limit, oldest first, as visible at `at`.
pub fn level_series(
    state: &State,
    agreement: &Agreement,
    limit: &Limit,
    party: &PartyId,
    at: Instant,
) -> Vec<LevelPoint> {
    state
        .declarations(&agreement.id, party, at)
        .iter()
        .filter_map(|d| {
            accord_compliance::limit_level(limit, d).map(|level| LevelPoint {
                as_of: d.declaration.as_of,
                level,
                record: d.record.id.clone(),
            })
        })
        .collect()
}

/// Splits a series where two points lie more than [`GAP_DAYS`] apart.
pub fn segments(points: &[LevelPoint]) -> Vec<&[LevelPoint]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..points.len() {
        if (points[i].as_of - points[i - 1].as_of).get_days() as i64 > GAP_DAYS {
            out.push(&points[start..i]);
            start = i;
        }
    }
    if start < points.len() {
        out.push(&points[start..]);
    }
    out
}

fn year_fraction(d: Date) -> f64 {
    f64::from(d.year()) + f64::from(d.day_of_year() - 1) / 365.25
}

const COLOURS: [RGBColor; 4] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
];

fn words(lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
    let mut m = Message::new(id);
    for (k, v) in args {
        m = m.arg(*k, v.clone());
    }
    accord_messages::render(lang, &m)
}

/// A dated vertical mark on a chart: binds-from, a suspension, an expiry, a deadline.
struct Mark {
    x: f64,
    label: String,
    colour: RGBColor,
}

/// The status changes of an agreement worth marking (suspensions, expiry, termination), up to
/// the instant shown.
fn status_marks(agreement: &Agreement, until: Date, lang: Lang) -> Vec<Mark> {
    agreement
        .history
        .iter()
        .filter(|c| c.date <= until)
        .filter_map(|c| {
            let (id, colour) = match c.status {
                Status::Suspended => ("chart-suspended", RGBColor(140, 86, 75)),
                Status::Expired => ("chart-expired", RGBColor(90, 90, 90)),
                Status::Terminated => ("chart-terminated", RGBColor(90, 90, 90)),
                _ => return None,
            };
            let by =
                c.by.iter()
                    .map(|p| p.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
            let label = words(
                lang,
                id,
                &[
                    ("date", Arg::Date(c.date)),
                    ("by", Arg::Id(by.as_str().into())),
                ],
            );
            Some(Mark {
                x: year_fraction(c.date),
                label: if by.is_empty() {
                    label
                } else {
                    format!("{label} ({by})")
                },
                colour,
            })
        })
        .collect()
}

type Chart<'a, 'b> = ChartContext<
    'a,
    SVGBackend<'b>,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// Draws dashed vertical marks and adds them to the legend.
fn draw_marks(
    chart: &mut Chart<'_, '_>,
    marks: Vec<Mark>,
    (ymin, ymax): (f64, f64),
    legend: &mut Vec<LegendItem>,
) -> Result<(), String> {
    for m in marks {
        chart
            .draw_series(DashedLineSeries::new(
                [(m.x, ymin), (m.x, ymax)],
                6,
                4,
                m.colour.stroke_width(1),
            ))
            .map_err(|e| e.to_string())?;
        legend.push(item(m.label, m.colour, true));
    }
    Ok(())
}

/// Draws a line through points with a dot on each.
fn draw_points(
    chart: &mut Chart<'_, '_>,
    pts: Vec<(f64, f64)>,
    colour: RGBColor,
) -> Result<(), String> {
    chart
        .draw_series(LineSeries::new(pts.clone(), colour.stroke_width(2)))
        .map_err(|e| e.to_string())?;
    chart
        .draw_series(pts.into_iter().map(|p| Circle::new(p, 3, colour.filled())))
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// Draws one limit chart: each party's declared levels (a line broken where
/// declarations are missing), the limit, and the dates it binds from, is suspended or expires.
pub fn limit_chart(
    agreement: &Agreement,
    provision: &Provision,
    limit: &Limit,
    series: &[(PartyId, Vec<LevelPoint>)],
    at: Instant,
    lang: Lang,
) -> Result<Drawn, ChartError> {
    let title = format!("{} ({})", limit.name, provision.cite);
    let err = |e: &dyn std::fmt::Display| ChartError {
        title: title.clone(),
        message: e.to_string(),
    };
    let until = date_of(at);
    let mut marks = Vec::new();
    if let Some(from) = provision.binds_from {
        marks.push(Mark {
            x: year_fraction(from),
            label: words(lang, "chart-binds-from", &[("date", Arg::Date(from))]),
            colour: RGBColor(120, 120, 120),
        });
    }
    marks.extend(status_marks(agreement, until, lang));
    let xs: Vec<f64> = series
        .iter()
        .flat_map(|(_, p)| p.iter().map(|p| year_fraction(p.as_of)))
        .chain(marks.iter().map(|m| m.x))
        .collect();
    let ys: Vec<u64> = series
        .iter()
        .flat_map(|(_, p)| p.iter().map(|p| p.level))
        .chain([limit.max])
        .collect();
    let x0 = xs.iter().copied().fold(f64::INFINITY, f64::min).floor();
    let x1 = xs
        .iter()
        .copied()
        .chain([year_fraction(until).min(x0 + 60.0)])
        .fold(f64::NEG_INFINITY, f64::max)
        .ceil()
        .max(x0 + 1.0);
    let ymax = *ys.iter().max().unwrap_or(&1) as f64 * 1.12;
    let ymin = (*ys.iter().min().unwrap_or(&0) as f64 * 0.85).floor();
    let years = (x1 - x0) as usize;
    let mut svg = String::new();
    let mut legend = Vec::new();
    {
        let root = SVGBackend::with_string(&mut svg, (760, 360)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(&title, ("sans-serif", 15))
            .margin(12)
            .x_label_area_size(32)
            .y_label_area_size(64)
            .build_cartesian_2d(x0..x1, ymin..ymax)
            .map_err(|e| err(&e))?;
        chart
            .configure_mesh()
            .x_desc(words(lang, "chart-as-of", &[]))
            .y_desc(limit.unit.as_str())
            // One tick a year (or every few years on long spans), each labelled once.
            .x_labels(years.min(20) + 1)
            .x_label_formatter(&|x| {
                if (x - x.round()).abs() < 1e-6 {
                    format!("{x:.0}")
                } else {
                    String::new()
                }
            })
            .y_label_formatter(&|y| format::number(lang, *y as i64))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(|e| err(&e))?;
        let red = RGBColor(200, 0, 0);
        chart
            .draw_series(LineSeries::new(
                [(x0, limit.max as f64), (x1, limit.max as f64)],
                red.stroke_width(2),
            ))
            .map_err(|e| err(&e))?;
        legend.push(item(
            words(
                lang,
                "chart-limit",
                &[("max", Arg::Number(limit.max as i64))],
            ),
            red,
            false,
        ));
        draw_marks(&mut chart, marks, (ymin, ymax), &mut legend).map_err(|e| err(&e))?;
        for (i, (party, points)) in series.iter().enumerate() {
            let colour = COLOURS[i % COLOURS.len()];
            legend.push(item(party.as_str(), colour, false));
            let parts = segments(points);
            for seg in &parts {
                let pts: Vec<(f64, f64)> = seg
                    .iter()
                    .map(|p| (year_fraction(p.as_of), p.level as f64))
                    .collect();
                draw_points(&mut chart, pts, colour).map_err(|e| err(&e))?;
            }
            // A gap is drawn as a thin dotted line, so it reads as missing, not as a level.
            for pair in parts.windows(2) {
                let (a, b) = (&pair[0][pair[0].len() - 1], &pair[1][0]);
                chart
                    .draw_series(DashedLineSeries::new(
                        [
                            (year_fraction(a.as_of), a.level as f64),
                            (year_fraction(b.as_of), b.level as f64),
                        ],
                        2,
                        5,
                        colour.mix(0.6).stroke_width(1),
                    ))
                    .map_err(|e| err(&e))?;
            }
        }
        root.present().map_err(|e| err(&e))?;
    }
    Ok(Drawn { svg, legend })
}

/// One series of observed forces: whose, where, and the observations by date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForceSeries {
    /// Whose forces.
    pub party: PartyId,
    /// Where, in words.
    pub area: String,
    /// (date, quantity), oldest first.
    pub points: Vec<(Date, u64)>,
}

/// A horizontal line on a forces chart: a threshold and what sets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThresholdLine {
    /// The value.
    pub at_least: u64,
    /// What sets it ("ch-v-notification").
    pub label: String,
}

/// A dated event on a forces chart (a request, its deadline).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// When.
    pub date: Date,
    /// What, in words.
    pub label: String,
}

fn day_number(d: Date) -> f64 {
    (d - Date::constant(2000, 1, 1)).get_days() as f64
}

/// Draws observed forces against thresholds over days, with dated events marked.
pub fn forces_chart(
    title: &str,
    unit: &str,
    series: &[ForceSeries],
    thresholds: &[ThresholdLine],
    events: &[Event],
    lang: Lang,
) -> Result<Drawn, ChartError> {
    let err = |e: &dyn std::fmt::Display| ChartError {
        title: title.to_owned(),
        message: e.to_string(),
    };
    let xs: Vec<f64> = series
        .iter()
        .flat_map(|s| s.points.iter().map(|(d, _)| day_number(*d)))
        .chain(events.iter().map(|e| day_number(e.date)))
        .collect();
    let x0 = xs.iter().copied().fold(f64::INFINITY, f64::min) - 3.0;
    let x1 = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max) + 3.0;
    let ymax = series
        .iter()
        .flat_map(|s| s.points.iter().map(|(_, q)| *q))
        .chain(thresholds.iter().map(|t| t.at_least))
        .max()
        .unwrap_or(1) as f64
        * 1.12;
    let base = Date::constant(2000, 1, 1);
    let mut svg = String::new();
    let mut legend = Vec::new();
    {
        let root = SVGBackend::with_string(&mut svg, (760, 380)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 15))
            .margin(12)
            .x_label_area_size(32)
            .y_label_area_size(72)
            .build_cartesian_2d(x0..x1, 0.0..ymax)
            .map_err(|e| err(&e))?;
        chart
            .configure_mesh()
            .y_desc(unit)
            .x_labels(8)
            .x_label_formatter(&|x| {
                base.checked_add(jiff::Span::new().days(x.round() as i64))
                    .map(|d| d.to_string())
                    .unwrap_or_default()
            })
            .y_label_formatter(&|y| format::number(lang, *y as i64))
            .light_line_style(WHITE.mix(0.0))
            .draw()
            .map_err(|e| err(&e))?;
        let reds = [RGBColor(200, 0, 0), RGBColor(150, 0, 90)];
        for (i, t) in thresholds.iter().enumerate() {
            let colour = reds[i % reds.len()];
            chart
                .draw_series(LineSeries::new(
                    [(x0, t.at_least as f64), (x1, t.at_least as f64)],
                    colour.stroke_width(2),
                ))
                .map_err(|e| err(&e))?;
            legend.push(item(t.label.clone(), colour, false));
        }
        let marks = events
            .iter()
            .map(|e| Mark {
                x: day_number(e.date),
                label: e.label.clone(),
                colour: RGBColor(90, 90, 90),
            })
            .collect();
        draw_marks(&mut chart, marks, (0.0, ymax), &mut legend).map_err(|e| err(&e))?;
        for (i, s) in series.iter().enumerate() {
            let colour = COLOURS[i % COLOURS.len()];
            let pts: Vec<(f64, f64)> = s
                .points
                .iter()
                .map(|(d, q)| (day_number(*d), *q as f64))
                .collect();
            legend.push(item(format!("{} ({})", s.party, s.area), colour, false));
            draw_points(&mut chart, pts, colour).map_err(|e| err(&e))?;
        }
        root.present().map_err(|e| err(&e))?;
    }
    Ok(Drawn { svg, legend })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(d: &str, level: u64) -> LevelPoint {
        LevelPoint {
            as_of: d.parse().unwrap(),
            level,
            record: accord_model::RecordId::new(format!("R-{d}")).unwrap(),
        }
    }

    #[test]
    fn a_missing_exchange_breaks_the_line() {
        let pts = [
            point("2022-03-01", 1474),
            point("2022-09-01", 1549),
            point("2023-09-01", 1419),
            point("2024-03-01", 1400),
        ];
        let parts = segments(&pts);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].len(), 2);
        assert_eq!(parts[1][0].as_of, "2023-09-01".parse::<Date>().unwrap());
        assert_eq!(segments(&pts[..2]).len(), 1);
        assert!(segments(&[]).is_empty());
    }
}
