//! The node's dashboard: the pages of `accord_views::dashboard` served at the node's root, in
//! the reader's language (`?lang=`, else the browser's `Accept-Language`), at any instant
//! (`?as_of=`). Everything the pages need is in the binary: no asset is fetched from elsewhere.

use std::collections::BTreeMap;

use accord_messages::Lang;
use accord_model::{Instant, Record, RecordBody, RecordId};
use accord_views::dashboard::{self as pages, FindingsQuery, Frame, HotlineRow, Tab};
use axum::extract::rejection::{FormRejection, PathRejection, QueryRejection};
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use base64::Engine as _;
use serde::Deserialize;

use crate::NodeError;
use crate::http::{ApiError, AppState};
use crate::node::Node;

/// The query every page takes.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// `en` or `ru`.
    lang: Option<String>,
    /// The instant shown (RFC 3339); the node's present when absent or empty.
    as_of: Option<String>,
    /// Findings page: only this agreement.
    agreement: Option<String>,
    /// Findings page: only this party.
    party: Option<String>,
    /// Findings page: only this severity.
    severity: Option<String>,
    /// Findings page: the page, from 0.
    page: Option<usize>,
    /// Record page: the origin line of the log holding the record, as evidence cites it.
    origin: Option<String>,
    /// Record page: the record's index in that log.
    index: Option<u64>,
}

/// The language of a page: `?lang=` first, then the first language of `Accept-Language` accord
/// speaks, else English.
fn language(q: &PageQuery, headers: &HeaderMap) -> Lang {
    if let Some(l) = q.lang.as_deref().and_then(Lang::parse) {
        return l;
    }
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.split(',')
                .filter_map(|part| part.split(';').next())
                .filter_map(|tag| tag.trim().split('-').next())
                .find_map(Lang::parse)
        })
        .unwrap_or(Lang::En)
}

fn bad_query(r: QueryRejection) -> ApiError {
    ApiError(NodeError::Malformed(format!(
        "query string: {}",
        r.body_text()
    )))
}

/// The frame of a page and the instant it shows.
fn frame<'a>(s: &'a AppState, q: &PageQuery, headers: &HeaderMap) -> Result<Frame<'a>, ApiError> {
    let as_of: Option<Instant> = match q.as_of.as_deref().filter(|t| !t.is_empty()) {
        Some(t) => Some(
            t.parse()
                .map_err(|e| ApiError(NodeError::Malformed(format!("query `as_of` {t:?}: {e}"))))?,
        ),
        None => None,
    };
    Ok(Frame {
        lang: language(q, headers),
        party: s.node.party.as_str(),
        as_of,
        at: as_of.unwrap_or_else(|| s.node.now()),
    })
}

fn html(page: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            // The pages run only their own inline script, and talk to no other origin.
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; \
                 img-src data:; form-action 'self'; connect-src 'self'",
            ),
        ],
        Html(page),
    )
        .into_response()
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, NodeError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError(NodeError::Malformed(format!("page failed: {e}"))))?
        .map_err(ApiError)
}

/// Renders one page: reads the query, works out the frame, builds the body off the async
/// runtime with `body`, and wraps it in the layout under the title `title_id`.
async fn page(
    s: AppState,
    q: Result<Query<PageQuery>, QueryRejection>,
    headers: HeaderMap,
    tab: Option<Tab>,
    title_id: &'static str,
    body: impl FnOnce(&Node, &Frame<'_>, &PageQuery) -> Result<(String, Option<String>), NodeError>
    + Send
    + 'static,
) -> Result<Response, ApiError> {
    let Query(q) = q.map_err(bad_query)?;
    let f = frame(&s, &q, &headers)?;
    let (lang, at, as_of) = (f.lang, f.at, f.as_of);
    let node = s.node.clone();
    let page = blocking(move || {
        let f = Frame {
            lang,
            party: node.party.as_str(),
            as_of,
            at,
        };
        let (body, title) = body(&node, &f, &q)?;
        let title = title.unwrap_or_else(|| accord_messages::word(lang, title_id));
        Ok(pages::layout(&f, tab, &title, &body))
    })
    .await?;
    Ok(html(page))
}

/// `GET /`: agreements, findings by severity, open deadlines, the logs and alerts.
pub async fn overview(
    State(s): State<AppState>,
    q: Result<Query<PageQuery>, QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    page(
        s,
        q,
        headers,
        Some(Tab::Overview),
        "dash-tab-overview",
        |node, f, _| {
            let findings = node.judged(f.at)?;
            let date = accord_state::date_of(f.at);
            let agreements: Vec<pages::AgreementRow> = node
                .held_agreements()
                .iter()
                .map(|(a, sha)| pages::AgreementRow {
                    id: a.id.to_string(),
                    title: a.title.clone(),
                    status: accord_compliance::status_word(f.lang, a.status_at(date)),
                    sha256: sha.clone(),
                })
                .collect();
            let finality = node.finality().unwrap_or_default();
            let logs: Vec<pages::LogRow> = node
                .logs()
                .into_iter()
                .map(|(party, st)| {
                    let own = party == node.party;
                    let fin = finality.first().filter(|_| own);
                    pages::LogRow {
                        origin: crate::node::origin(party.as_str()),
                        party: party.to_string(),
                        size: st.size,
                        final_size: fin.and_then(|f| f.final_size),
                        cosigners: fin.map(|f| f.final_cosigned_by.clone()).unwrap_or_default(),
                    }
                })
                .collect();
            let deadlines = node.open_deadlines(f.at)?;
            // The alerts the node gives (or would give, with an alert command or URL): every
            // violation and the deadlines due within the configured time.
            let alerts: Vec<String> = crate::alerts::alerts_at(
                node.party.as_str(),
                &findings.findings,
                &deadlines,
                f.at,
                node.config.alerts.within,
            )
            .into_iter()
            .map(|a| match a.subject {
                crate::alerts::Subject::Violation { finding } => {
                    accord_compliance::finding_text(&finding, f.lang)
                }
                crate::alerts::Subject::Deadline { deadline } => {
                    format!("{} · {}", pages::owed_text(f.lang, &deadline), deadline.due)
                }
            })
            .collect();
            let body = pages::overview(
                f,
                &pages::Overview {
                    agreements: &agreements,
                    findings: &findings.findings,
                    deadlines: &deadlines,
                    logs: &logs,
                    alerts: &alerts,
                },
            );
            Ok((body, None))
        },
    )
    .await
}

/// `GET /findings`: the findings filtered and paged on the server.
pub async fn findings(
    State(s): State<AppState>,
    q: Result<Query<PageQuery>, QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    page(
        s,
        q,
        headers,
        Some(Tab::Findings),
        "dash-tab-findings",
        |node, f, q| {
            if let Some(v) = q.severity.as_deref().filter(|v| !v.is_empty())
            && !["violation", "concern", "compliant", "not_applicable"].contains(&v)
        {
            return Err(NodeError::Malformed(format!(
                "query `severity` {v:?}: expected violation, concern, compliant or not_applicable"
            )));
        }
        let filter = FindingsQuery {
                agreement: q.agreement.clone().filter(|v| !v.is_empty()),
                party: q.party.clone().filter(|v| !v.is_empty()),
                severity: q.severity.clone().filter(|v| !v.is_empty()),
                page: q.page.unwrap_or(0),
            };
            let all = node.judged(f.at)?;
            Ok((pages::findings_page(f, &all.findings, &filter), None))
        },
    )
    .await
}

/// `GET /records/{id}`: one record, its log position and its inclusion proof; with `?origin=`
/// and `?index=` (as evidence cites it), the record at that place, which must be `id`.
pub async fn record(
    State(s): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    q: Result<Query<PageQuery>, QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let Path(id) = id.map_err(|r| ApiError(NodeError::Malformed(r.body_text())))?;
    let id = RecordId::new(id).map_err(|e| ApiError(NodeError::Malformed(format!("path: {e}"))))?;
    page(s, q, headers, None, "dash-record", move |node, f, q| {
        let records = node.all_records()?;
        let place = match (&q.origin, q.index) {
            (Some(origin), Some(index)) => Some((
                crate::node::party_of_origin(origin).ok_or_else(|| {
                    NodeError::NotFound(format!("{origin:?} is not the origin of a party's log"))
                })?,
                index,
            )),
            _ => None,
        };
        let (log, index, record) = records
            .iter()
            .find(|(log, i, r)| r.id == id && place.is_none_or(|p| (log.as_str(), *i) == p))
            .ok_or_else(|| match place {
                Some((log, index)) => {
                    NodeError::NotFound(format!("record {id} is not entry {index} of {log}'s log"))
                }
                None => NodeError::NotFound(format!("no record {id} in the logs held")),
            })?;
        let origin = crate::node::origin(log.as_str());
        let entry = node
            .entries(log.as_str(), *index, 1)?
            .into_iter()
            .next()
            .map(|(_, e)| e)
            .ok_or_else(|| NodeError::NotFound(format!("no entry {index} of {origin}")))?;
        // The proof and checkpoint are those of the tlog-proof file `/v1/proof` serves; none yet
        // while no checkpoint including the entry has been cosigned.
        let proof = node
            .proof(&origin, *index)
            .ok()
            .and_then(|bytes| accord_log::TlogProof::parse(&bytes).ok());
        let (hashes, checkpoint): (Vec<String>, String) = proof
            .map(|p| {
                let b64 = base64::engine::general_purpose::STANDARD;
                (
                    p.hashes.iter().map(|h| b64.encode(h.0)).collect(),
                    String::from_utf8_lossy(&p.checkpoint).into_owned(),
                )
            })
            .unwrap_or_default();
        let body = pages::record_page(
            f,
            &pages::RecordPage {
                record,
                origin: &origin,
                index: *index,
                entry_b64: &base64::engine::general_purpose::STANDARD.encode(&entry),
                proof: &hashes,
                checkpoint: &checkpoint,
                node_keys: &node.verifier_keys(),
            },
        );
        Ok((body, Some(record.id.to_string())))
    })
    .await
}

/// `GET /timeline`: the report's charts and the records, newest first.
pub async fn timeline(
    State(s): State<AppState>,
    q: Result<Query<PageQuery>, QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    page(
        s,
        q,
        headers,
        Some(Tab::Timeline),
        "dash-tab-timeline",
        |node, f, _| {
            let findings = node.judged(f.at)?;
            let agreements: Vec<accord_agreements::Agreement> =
                node.held_agreements().into_iter().map(|(a, _)| a).collect();
            // The judge's kept state: not folded again per request.
            let body = node
                .with_state(|state| {
                    pages::timeline(
                        f,
                        &accord_views::ReportInput {
                            title: "",
                            description: "",
                            agreements: &agreements,
                            assumed: &[],
                            state,
                            at: f.at,
                            findings: &findings.findings,
                            lang: f.lang,
                        },
                    )
                })?
                .map_err(|e| NodeError::Malformed(format!("chart: {e}")))?;
            Ok((body, None))
        },
    )
    .await
}

/// `GET /hotline`: the send form, the inbox and the sent messages with their receipts.
pub async fn hotline(
    State(s): State<AppState>,
    q: Result<Query<PageQuery>, QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    page(
        s,
        q,
        headers,
        Some(Tab::Hotline),
        "dash-tab-hotline",
        |node, f, _| {
            let inbox: Vec<HotlineRow> = node
                .inbox(0, 1000)?
                .into_iter()
                .filter_map(|m| {
                    Some(HotlineRow {
                        peer: m.from.to_string(),
                        seq: m.seq,
                        text: m.text,
                        sent_at: m.issued_at.parse().ok()?,
                        delivered: None,
                        read: m.read.then_some(f.at),
                    })
                })
                .collect();
            // The texts of the messages sent, read once from the own log.
            let records = node.all_records()?;
            let texts: BTreeMap<&RecordId, &str> = records
                .iter()
                .filter_map(|(_, _, r)| match &r.body {
                    RecordBody::HotlineMessage(h) if r.party == node.party => {
                        Some((&r.id, h.text.as_str()))
                    }
                    _ => None,
                })
                .collect();
            let sent: Vec<HotlineRow> = node
                .sent()?
                .into_iter()
                .filter_map(|m| {
                    Some(HotlineRow {
                        peer: m.to.to_string(),
                        seq: m.seq,
                        text: texts.get(&m.record).copied().unwrap_or_default().to_owned(),
                        sent_at: m.issued_at.parse().ok()?,
                        delivered: m
                            .delivered_at
                            .as_deref()
                            .and_then(|t| t.parse().ok())
                            .or_else(|| m.delivered.then_some(f.at)),
                        read: m.read_at.as_deref().and_then(|t| t.parse().ok()),
                    })
                })
                .collect();
            let peers: Vec<String> = node
                .parties()
                .into_iter()
                .filter(|p| *p != node.party)
                .map(|p| p.to_string())
                .collect();
            Ok((pages::hotline(f, &peers, &inbox, &sent, true), None))
        },
    )
    .await
}

/// The form of `POST /hotline/send`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SendForm {
    to: String,
    text: String,
}

/// `POST /hotline/send`: signs and logs a hotline message with the node's key. Only for the
/// node's own machine or an officer (the access rules, [`crate::access`], see to that), and
/// only from its own pages (the `Origin` must be the node).
pub async fn send(
    State(s): State<AppState>,
    q: Result<Query<PageQuery>, QueryRejection>,
    headers: HeaderMap,
    form: Result<Form<SendForm>, FormRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = q.map_err(bad_query)?;
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    if let (Some(origin), Some(host)) = (origin, host)
        && origin.split_once("://").map(|(_, h)| h) != Some(host)
    {
        return Err(ApiError(NodeError::WrongParty(format!(
            "a form from {origin} may not send from this node"
        ))));
    }
    let Form(form) = form.map_err(|r| ApiError(NodeError::Malformed(r.body_text())))?;
    let to = accord_model::PartyId::new(form.to.trim())
        .map_err(|e| ApiError(NodeError::Malformed(format!("field `to`: {e}"))))?;
    let text = form.text.trim().to_owned();
    if text.is_empty() {
        return Err(ApiError(NodeError::Malformed(
            "field `text` is empty".into(),
        )));
    }
    let node = s.node.clone();
    blocking(move || {
        let seq = node.next_seq(to.as_str())?;
        let record = Record {
            id: RecordId::new(format!("{}-hotline-{to}-{seq}", node.party.as_str()))
                .map_err(|e| NodeError::Malformed(e.to_string()))?,
            party: accord_model::PartyId::new(node.party.as_str())
                .map_err(|e| NodeError::Malformed(e.to_string()))?,
            issued_at: node.now(),
            body: RecordBody::HotlineMessage(accord_model::HotlineMessage {
                to: to.clone(),
                seq,
                text,
            }),
        };
        node.submit(vec![node.sign(&record)]).map(|_| ())
    })
    .await?;
    let mut back = BTreeMap::new();
    if let Some(l) = q.lang {
        back.insert("lang", l);
    }
    let query: Vec<String> = back.iter().map(|(k, v)| format!("{k}={v}")).collect();
    Ok((
        StatusCode::SEE_OTHER,
        Redirect::to(&format!("/hotline?{}", query.join("&"))),
    )
        .into_response())
}

/// `GET /escrow`: commitments, reveals, limit proofs, seeds, and records that failed their
/// check on arrival.
pub async fn escrow(
    State(s): State<AppState>,
    q: Result<Query<PageQuery>, QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    page(
        s,
        q,
        headers,
        Some(Tab::Escrow),
        "dash-tab-escrow",
        |node, f, _| {
            let logged = node.all_records()?;
            let records: Vec<Record> = logged.iter().map(|(_, _, r)| r.clone()).collect();
            let checks = node.arrival_failures(&logged);
            let failed: Vec<(RecordId, String)> = checks
                .failed
                .iter()
                .filter_map(|((log, index), (_, why))| {
                    let r = logged.iter().find(|(l, i, _)| l == log && i == index)?;
                    Some((r.2.id.clone(), why.to_string()))
                })
                .collect();
            Ok((pages::escrow(f, &records, &failed), None))
        },
    )
    .await
}
