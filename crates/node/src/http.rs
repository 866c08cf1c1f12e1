//! The node's HTTP API (axum): every route documented in `openapi.json`, and nothing else.

use std::sync::Arc;
use std::time::Duration;

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;

use accord_model::envelope::Envelope;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::access::Reader;
use crate::node::{MirrorAnswer, MirrorRefusal, Node};
use crate::wire::{Channel, ErrorBody, Inbox, SubmitBatch};
use crate::{NodeError, OPENAPI};

/// The state shared by the handlers.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The node.
    pub node: Arc<Node>,
    /// The HTTP client the node uses to reach its peers and witnesses.
    pub client: reqwest::Client,
    /// Evaluations of the findings allowed to run at once.
    pub evaluations: Arc<tokio::sync::Semaphore>,
    /// Who may read and act, and where operators' actions are kept.
    pub access: Arc<crate::access::Access>,
}

impl AppState {
    /// The state of a node's handlers, with `client` to reach its peers and witnesses and
    /// `access` to say who may read and act.
    pub fn new(
        node: Arc<Node>,
        client: reqwest::Client,
        access: Arc<crate::access::Access>,
    ) -> Self {
        AppState {
            node,
            client,
            evaluations: Arc::new(tokio::sync::Semaphore::new(2)),
            access,
        }
    }
}

/// An API error: a status code and a JSON [`ErrorBody`].
#[derive(Debug)]
pub struct ApiError(pub NodeError);

impl From<NodeError> for ApiError {
    fn from(e: NodeError) -> Self {
        ApiError(e)
    }
}

/// The HTTP status of a node error.
pub fn status_of(e: &NodeError) -> StatusCode {
    match e {
        NodeError::Malformed(_) | NodeError::BadNote(_) => StatusCode::BAD_REQUEST,
        NodeError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
        NodeError::BadSignature(_) => StatusCode::UNAUTHORIZED,
        NodeError::UnknownParty(_) | NodeError::WrongParty(_) => StatusCode::FORBIDDEN,
        NodeError::InvalidRecord(_) | NodeError::Rule(_) => StatusCode::UNPROCESSABLE_ENTITY,
        NodeError::Replay(_) | NodeError::Gap { .. } | NodeError::Conflict(_) => {
            StatusCode::CONFLICT
        }
        NodeError::NotFound(_) => StatusCode::NOT_FOUND,
        NodeError::Peer { .. } => StatusCode::BAD_GATEWAY,
        NodeError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
        NodeError::Timeout(_) => StatusCode::REQUEST_TIMEOUT,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            code: self.0.code().to_owned(),
            error: self.0.to_string(),
            expected_index: match self.0 {
                NodeError::Gap { expected, .. } => Some(expected),
                _ => None,
            },
        };
        (status_of(&self.0), axum::Json(body)).into_response()
    }
}

type ApiResult = Result<Response, ApiError>;

fn parse<T: DeserializeOwned>(body: Result<Bytes, BytesRejection>) -> Result<T, NodeError> {
    let bytes = body.map_err(|r| {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            NodeError::TooLarge(r.body_text())
        } else {
            NodeError::Malformed(r.body_text())
        }
    })?;
    serde_json::from_slice(&bytes).map_err(|e| NodeError::Malformed(format!("request body: {e}")))
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, NodeError> + Send + 'static,
) -> Result<T, NodeError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| NodeError::Malformed(format!("handler failed: {e}")))?
}

/// The parameters of a query string, or the error body saying which is wrong.
fn query<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, NodeError> {
    q.map(|Query(v)| v)
        .map_err(|r| NodeError::Malformed(format!("query string: {}", r.body_text())))
}

/// The largest index or inbox position a query may name: the storage keeps them as SQLite
/// (signed 64-bit) integers.
const MAX_POSITION: u64 = i64::MAX as u64;

/// A number from the query string, refused outside `min..=max` as the API document bounds it.
fn in_range(name: &str, v: Option<u64>, min: u64, max: u64) -> Result<Option<u64>, NodeError> {
    match v {
        Some(n) if n < min || n > max => Err(NodeError::Malformed(format!(
            "query `{name}` is {n}; it must lie between {min} and {max}"
        ))),
        other => Ok(other),
    }
}

/// A path parameter, or the error body saying it is malformed.
fn path<T>(p: Result<Path<T>, PathRejection>) -> Result<T, NodeError> {
    p.map(|Path(v)| v)
        .map_err(|r| NodeError::Malformed(format!("path: {}", r.body_text())))
}

/// A party named in a path: a node's party id, never a path of its own.
fn party_in_path(p: Result<Path<String>, PathRejection>) -> Result<String, NodeError> {
    let party = path(p)?;
    check_path_party(&party)?;
    Ok(party)
}

/// A log named in a path: its origin without `accord/log/` (`US`, or `US%2Fnew-start` with its
/// slashes escaped), never a path of its own.
fn log_in_path(p: Result<Path<String>, PathRejection>) -> Result<String, NodeError> {
    let log = path(p)?;
    crate::scope::LogName::parse_key(&log)
        .map_err(|e| NodeError::Malformed(format!("path: {e}")))?;
    Ok(log)
}

/// Refuses (403) a reader the entries of `log` are not for.
fn check_reads(node: &Node, reader: &Reader, log: &str) -> Result<(), NodeError> {
    if reader.reads_log(node, log) {
        return Ok(());
    }
    Err(NodeError::UnknownParty(format!(
        "the entries of log {log} are for the parties of its scope, the node's operators and \
         its own machine; its checkpoint and hash tiles are public"
    )))
}

impl axum::extract::FromRequestParts<AppState> for Reader {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        s: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let caller = parts
            .extensions
            .get::<crate::access::Caller>()
            .cloned()
            .unwrap_or(crate::access::Caller::Plain);
        let from = parts
            .extensions
            .get::<axum::extract::ConnectInfo<SocketAddr>>()
            .map(|c| c.0);
        Ok(Reader::of(&caller, from, &s.node.party))
    }
}

fn check_path_party(party: &str) -> Result<(), NodeError> {
    let id = accord_model::PartyId::new(party)
        .map_err(|e| NodeError::Malformed(format!("path: {e}")))?;
    crate::keys::check_party(&id)
}

fn json<T: serde::Serialize>(v: &T) -> Response {
    axum::Json(v).into_response()
}

/// Builds the router.
pub fn router(state: AppState) -> Router {
    let limit = state.node.config.max_body;
    let timeout = state.node.config.request_timeout;
    Router::new()
        .route("/", get(crate::dashboard::overview))
        .route("/findings", get(crate::dashboard::findings))
        .route("/records/{id}", get(crate::dashboard::record))
        .route("/timeline", get(crate::dashboard::timeline))
        .route("/hotline", get(crate::dashboard::hotline))
        .route("/hotline/send", post(crate::dashboard::send))
        .route("/escrow", get(crate::dashboard::escrow))
        .route("/openapi.json", get(openapi))
        .route("/add-checkpoint", post(add_checkpoint))
        .route("/add-entries", post(add_entries))
        .route("/mirror/{origin_hash}/checkpoint", get(mirror_checkpoint))
        .route("/mirror/{origin_hash}/tile/{*path}", get(mirror_tile))
        .route("/v1/node", get(node_info))
        .route("/v1/state", get(node_state))
        .route("/v1/findings", get(findings))
        .route("/v1/inspections", get(inspections))
        .route("/v1/findings/stream", get(findings_stream))
        .route("/v1/records", post(submit_one))
        .route("/v1/records/batch", post(submit_batch))
        .route("/v1/hotline/inbox", get(inbox))
        .route("/v1/hotline/sent", get(sent))
        .route("/v1/hotline/channels/{to}", get(channel))
        .route("/v1/logs/{party}/checkpoint", get(checkpoint))
        .route("/v1/logs/{party}/entries", get(entries))
        .route("/v1/logs/{party}/tile/{*path}", get(tile))
        .route("/v1/receipts/{peer}", get(receipts))
        .route("/v1/proof", get(proof))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .fallback(no_route)
        .method_not_allowed_fallback(wrong_method)
        .layer(DefaultBodyLimit::max(limit))
        .layer(middleware::from_fn_with_state(timeout, time_limit))
        .layer(middleware::from_fn_with_state(state.access.clone(), access))
        .layer(middleware::from_fn(log_request))
        .layer(middleware::from_fn_with_state(
            state.node.clone(),
            count_request,
        ))
        .with_state(state)
}

/// Refuses (403) what the caller may not read or do (see [`crate::access`]), and keeps each
/// operator action with its outcome.
async fn access(
    State(rules): State<Arc<crate::access::Access>>,
    req: Request,
    next: Next,
) -> Response {
    use crate::access::Caller;
    let caller = req
        .extensions()
        .get::<Caller>()
        .cloned()
        .unwrap_or(Caller::Plain);
    let from = req
        .extensions()
        .get::<axum::extract::ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let (method, path) = (req.method().clone(), req.uri().path().to_owned());
    if !rules.may(&method, &path, &caller, from) {
        let who = match &caller {
            Caller::Anonymous => "a TLS client with no certificate".to_owned(),
            Caller::Plain => "a plain-HTTP client beyond loopback".to_owned(),
            Caller::Party(p) => format!("party {p}"),
            Caller::Operator { name, role } => format!("operator {name} ({role:?})"),
        };
        let refused = StatusCode::FORBIDDEN.as_u16();
        keep_action(rules, method.clone(), path.clone(), caller, from, refused).await;
        return ApiError(NodeError::UnknownParty(format!(
            "{method} {path} is not for {who}: contents are served to trusted parties, the \
             node's operators and its own machine; signing and sending to officers"
        )))
        .into_response();
    }
    let resp = next.run(req).await;
    let status = resp.status().as_u16();
    keep_action(rules, method, path, caller, from, status).await;
    resp
}

/// Appends an operator action to the node's actions file off the runtime. The answer stands
/// either way: an action that could not be kept is logged as an error rather than hidden.
async fn keep_action(
    rules: Arc<crate::access::Access>,
    method: axum::http::Method,
    path: String,
    caller: crate::access::Caller,
    from: Option<SocketAddr>,
    status: u16,
) {
    // Reads are no actions: most requests end here, with no blocking task.
    if !crate::access::is_action(&method, &path) {
        return;
    }
    let kept =
        tokio::task::spawn_blocking(move || rules.record(&method, &path, &caller, from, status))
            .await;
    let error = match kept {
        Ok(Ok(())) => return,
        Ok(Err(e)) => e.to_string(),
        Err(e) => e.to_string(),
    };
    tracing::error!(target: "accord_node", "operator action not recorded: {error}");
}

/// Logs each request (method, path, status, latency, peer address) at `info` level.
async fn log_request(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let peer = req
        .extensions()
        .get::<axum::extract::ConnectInfo<SocketAddr>>()
        .map(|c| c.0.to_string())
        .unwrap_or_default();
    let started = std::time::Instant::now();
    let resp = next.run(req).await;
    tracing::info!(
        target: "accord_node::request",
        %method,
        %path,
        status = resp.status().as_u16(),
        latency_ms = %format_args!("{:.3}", started.elapsed().as_secs_f64() * 1e3),
        %peer,
    );
    resp
}

/// Counts each answered request in the node's metrics by the route it matched (never the raw
/// path, so that the figures stay few), its method and status.
async fn count_request(State(node): State<Arc<Node>>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or("unmatched", |m| m.as_str())
        .to_owned();
    let method = match req.method().as_str() {
        m @ ("GET" | "POST" | "PUT" | "DELETE" | "PATCH" | "HEAD" | "OPTIONS") => m.to_owned(),
        _ => "other".to_owned(),
    };
    let resp = next.run(req).await;
    node.metrics
        .request(&route, &method, resp.status().as_u16());
    resp
}

/// The node's health: 200 when its storage takes writes and it signs its log, 503 otherwise,
/// with each peer's last contact.
async fn healthz(State(s): State<AppState>) -> ApiResult {
    let health = blocking(move || s.node.health()).await?;
    let status = if health.status == "ok" {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    Ok((status, axum::Json(health)).into_response())
}

/// The node's figures in the OpenMetrics text format.
async fn metrics(State(s): State<AppState>) -> ApiResult {
    let text = blocking(move || s.node.metrics_text()).await?;
    Ok(([(header::CONTENT_TYPE, crate::metrics::CONTENT_TYPE)], text).into_response())
}

/// Answers 408 with the JSON error body when a request takes longer than `limit`.
async fn time_limit(State(limit): State<Duration>, req: Request, next: Next) -> Response {
    let what = format!("{} {}", req.method(), req.uri().path());
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(r) => r,
        Err(_) => ApiError(NodeError::Timeout(format!(
            "{what} took longer than {} s",
            limit.as_secs_f64()
        )))
        .into_response(),
    }
}

async fn no_route() -> ApiError {
    ApiError(NodeError::NotFound("no such route".into()))
}

async fn wrong_method(method: axum::http::Method, uri: axum::http::Uri) -> ApiError {
    ApiError(NodeError::MethodNotAllowed(format!(
        "{method} is not allowed on {}",
        uri.path()
    )))
}

/// C2SP tlog-witness: cosigns a trusted peer's checkpoint, or answers 400, 403, 404, 409 (with
/// the size last cosigned, as `text/x.tlog.size`) or 422 as the protocol says.
async fn add_checkpoint(
    State(s): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(b) => b,
        Err(r) => return (r.status(), r.body_text()).into_response(),
    };
    let node = s.node.clone();
    let answer = tokio::task::spawn_blocking(move || node.add_checkpoint(&body)).await;
    let text = |status: StatusCode, ctype: &'static str, body: Vec<u8>| {
        (status, [(header::CONTENT_TYPE, ctype)], body).into_response()
    };
    match answer {
        Ok(Ok(lines)) => text(StatusCode::OK, "text/plain; charset=utf-8", lines),
        Ok(Err(refusal)) => {
            let (ctype, body) = refusal.body();
            let status =
                StatusCode::from_u16(refusal.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            text(status, ctype, body)
        }
        Err(e) => text(
            StatusCode::INTERNAL_SERVER_ERROR,
            "text/plain; charset=utf-8",
            format!("the witness failed: {e}\n").into_bytes(),
        ),
    }
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

async fn node_info(State(s): State<AppState>) -> ApiResult {
    Ok(json(&blocking(move || s.node.info()).await?))
}

async fn node_state(State(s): State<AppState>) -> ApiResult {
    Ok(json(&blocking(move || Ok(s.node.state())).await?))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FindingsQuery {
    as_of: Option<String>,
    /// The former name of `as_of`, still read where `as_of` is absent.
    at: Option<String>,
    agreement: Option<String>,
    party: Option<String>,
    severity: Option<String>,
}

async fn findings(
    State(s): State<AppState>,
    reader: Reader,
    q: Result<Query<FindingsQuery>, QueryRejection>,
) -> ApiResult {
    let q = query(q)?;
    let bad = |name: &str, v: &str, e: &dyn std::fmt::Display| {
        NodeError::Malformed(format!("query `{name}` {v:?}: {e}"))
    };
    let (name, when) = match (&q.as_of, &q.at) {
        (Some(t), _) => ("as_of", Some(t)),
        (None, t) => ("at", t.as_ref()),
    };
    let at = match when.filter(|t| !t.is_empty()) {
        Some(t) => t.parse().map_err(|e| bad(name, t, &e))?,
        None => s.node.now(),
    };
    // The former name is checked even where `as_of` overrides it: a bad value is an error.
    if let (Some(_), Some(t)) = (&q.as_of, q.at.as_deref().filter(|t| !t.is_empty())) {
        t.parse::<accord_model::Instant>()
            .map_err(|e| bad("at", t, &e))?;
    }
    let filter = crate::node::FindingFilter {
        agreement: q
            .agreement
            .as_deref()
            .map(|a| accord_model::AgreementId::new(a).map_err(|e| bad("agreement", a, &e)))
            .transpose()?,
        party: q
            .party
            .as_deref()
            .map(|p| accord_model::PartyId::new(p).map_err(|e| bad("party", p, &e)))
            .transpose()?,
        severity: q
            .severity
            .as_deref()
            .map(|v| {
                serde_json::from_value(serde_json::Value::String(v.to_owned())).map_err(|_| {
                    bad(
                        "severity",
                        v,
                        &"expected not_applicable, compliant, concern or violation",
                    )
                })
            })
            .transpose()?,
        reader: reader.party().cloned(),
    };
    // Evaluations run a few at a time, so that many callers share memory instead of each
    // holding its own copy of the state.
    let _permit = s
        .evaluations
        .acquire()
        .await
        .map_err(|e| NodeError::Malformed(e.to_string()))?;
    Ok(json(&blocking(move || s.node.findings(at, &filter)).await?))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct InspectionsQuery {
    as_of: Option<String>,
}

/// The selection rounds the logs held show, judged at `as_of` (now if absent).
async fn inspections(
    State(s): State<AppState>,
    q: Result<Query<InspectionsQuery>, QueryRejection>,
) -> ApiResult {
    let q = query(q)?;
    // An empty `as_of` means now, as on the findings and the dashboard's pages.
    let at = match q.as_of.as_deref().filter(|t| !t.is_empty()) {
        Some(t) => t
            .parse()
            .map_err(|e| NodeError::Malformed(format!("query `as_of` {t:?}: {e}")))?,
        None => s.node.now(),
    };
    Ok(json(&blocking(move || s.node.inspections(at)).await?))
}

/// The changes of the findings at the node's clock as Server-Sent Events, from the moment of
/// the request: `finding` (new or changed), `removed` and `digest` events, each with its JSON,
/// and `lagged` when the reader fell behind and missed some (it should read `/v1/findings`).
async fn findings_stream(State(s): State<AppState>) -> Response {
    use axum::response::sse::{Event, KeepAlive, Sse};
    let rx = s.node.subscribe_findings();
    let events = futures_util::stream::unfold(rx, |mut rx| async move {
        let event = match rx.recv().await {
            Ok(change) => Event::default()
                .event(change.name())
                .json_data(&*change)
                .unwrap_or_default(),
            Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => {
                Event::default().event("lagged").data(n.to_string())
            }
            Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
        };
        Some((Ok::<_, std::convert::Infallible>(event), rx))
    });
    Sse::new(events)
        .keep_alive(KeepAlive::default())
        .into_response()
}

async fn submit(s: AppState, envelopes: Vec<Envelope>) -> ApiResult {
    let node = s.node.clone();
    let submitted = blocking(move || node.submit(envelopes)).await?;
    Ok((StatusCode::CREATED, axum::Json(submitted)).into_response())
}

async fn submit_one(State(s): State<AppState>, body: Result<Bytes, BytesRejection>) -> ApiResult {
    let env: Envelope = parse(body)?;
    submit(s, vec![env]).await
}

async fn submit_batch(State(s): State<AppState>, body: Result<Bytes, BytesRejection>) -> ApiResult {
    let batch: SubmitBatch = parse(body)?;
    submit(s, batch.envelopes).await
}

/// C2SP tlog-mirror: takes entries of a trusted peer's log up to a checkpoint added before,
/// answering 200 with the mirror's cosignature, 202 or 409 with `text/x.tlog.mirror-info`,
/// 400, 404 or 422 as the protocol says; entries that are authentic but not acceptable records
/// are refused with the JSON error body.
async fn add_entries(State(s): State<AppState>, body: Result<Bytes, BytesRejection>) -> Response {
    let body = match body {
        Ok(b) => b,
        Err(r) => return (r.status(), r.body_text()).into_response(),
    };
    let node = s.node.clone();
    let answer = tokio::task::spawn_blocking(move || node.add_entries(&body)).await;
    let plain = "text/plain; charset=utf-8";
    let text = |status: StatusCode, ctype: &'static str, body: Vec<u8>| {
        (status, [(header::CONTENT_TYPE, ctype)], body).into_response()
    };
    let info = accord_log::mirror::MIRROR_INFO_CONTENT_TYPE;
    match answer {
        Ok(Ok(MirrorAnswer::Cosigned { line, failed })) => {
            let mut answer = text(StatusCode::OK, plain, line);
            if !failed.is_empty()
                && let Ok(v) =
                    header::HeaderValue::from_str(&crate::wire::failed_records_header(&failed))
            {
                answer
                    .headers_mut()
                    .insert(crate::wire::FAILED_RECORDS_HEADER, v);
            }
            answer
        }
        Ok(Ok(MirrorAnswer::Partial(i))) => text(StatusCode::ACCEPTED, info, i.to_bytes()),
        Ok(Err(MirrorRefusal::Conflict(i))) => text(StatusCode::CONFLICT, info, i.to_bytes()),
        Ok(Err(MirrorRefusal::BadRequest(why))) => text(
            StatusCode::BAD_REQUEST,
            plain,
            format!("{why}\n").into_bytes(),
        ),
        Ok(Err(MirrorRefusal::UnknownLog(origin))) => text(
            StatusCode::NOT_FOUND,
            plain,
            format!("unknown log {origin:?}\n").into_bytes(),
        ),
        Ok(Err(MirrorRefusal::Unprocessable(why))) => text(
            StatusCode::UNPROCESSABLE_ENTITY,
            plain,
            format!("{why}\n").into_bytes(),
        ),
        Ok(Err(MirrorRefusal::Node(e))) => ApiError(e).into_response(),
        Err(e) => ApiError(NodeError::Malformed(format!("handler failed: {e}"))).into_response(),
    }
}

/// The mirrored log the mirror serves under the hex SHA-256 of its origin.
fn mirrored_party(node: &Node, origin_hash: &str) -> Result<String, NodeError> {
    use sha2::Digest as _;
    node.logs()
        .into_keys()
        .map(|p| p.to_string())
        .filter_map(|k| crate::scope::LogName::parse_key(&k).ok())
        .filter(|l| l.party != node.party)
        .find(|l| hex::encode(sha2::Sha256::digest(l.origin())) == origin_hash)
        .map(|l| l.key())
        .ok_or_else(|| {
            NodeError::NotFound(format!("no mirrored log has origin hash {origin_hash}"))
        })
}

/// The mirror's checkpoint of a log (C2SP tlog-mirror monitoring prefix): the author's
/// signature and this node's mirror cosignature.
async fn mirror_checkpoint(
    State(s): State<AppState>,
    origin_hash: Result<Path<String>, PathRejection>,
) -> ApiResult {
    let origin_hash = path(origin_hash)?;
    let note = blocking(move || {
        let party = mirrored_party(&s.node, &origin_hash)?;
        s.node.checkpoint(&party)
    })
    .await?;
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], note).into_response())
}

/// A tile or entry bundle of a mirrored log (C2SP tlog-mirror monitoring prefix).
async fn mirror_tile(
    State(s): State<AppState>,
    reader: Reader,
    params: Result<Path<(String, String)>, PathRejection>,
) -> ApiResult {
    let (origin_hash, path) = path(params)?;
    let node = s.node.clone();
    let party = blocking(move || mirrored_party(&node, &origin_hash)).await?;
    serve_tile(&s, &reader, &party, &path).await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProofQuery {
    origin: String,
    index: u64,
}

/// The C2SP tlog-proof of an entry against the latest cosigned checkpoint of its log.
async fn proof(
    State(s): State<AppState>,
    reader: Reader,
    q: Result<Query<ProofQuery>, QueryRejection>,
) -> ApiResult {
    let q = query(q)?;
    if let Some(log) = crate::node::party_of_origin(&q.origin) {
        check_reads(&s.node, &reader, log)?;
    }
    let bytes = blocking(move || s.node.proof(&q.origin, q.index)).await?;
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], bytes).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct InboxQuery {
    after: Option<u64>,
    wait: Option<u64>,
    limit: Option<u64>,
}

async fn inbox(
    State(s): State<AppState>,
    reader: Reader,
    q: Result<Query<InboxQuery>, QueryRejection>,
) -> ApiResult {
    // Another party reads only what it sent to this node.
    let from = reader.party().cloned();
    let visible = move |mut messages: Vec<crate::wire::InboxMessage>| {
        messages.retain(|m| from.as_ref().is_none_or(|p| m.from == *p));
        messages
    };
    let q = query(q)?;
    let after = in_range("after", q.after, 0, MAX_POSITION)?.unwrap_or(0);
    let limit = in_range("limit", q.limit, 1, 1000)?.unwrap_or(100);
    let wait = in_range("wait", q.wait, 0, 60)?.unwrap_or(0);
    let longest = s
        .node
        .config
        .request_timeout
        .saturating_sub(Duration::from_secs(1))
        .min(Duration::from_secs(60));
    let wait = Duration::from_secs(wait).min(longest);
    let mut rx = s.node.inbox_wake.subscribe();
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        rx.borrow_and_update();
        let node = s.node.clone();
        let messages = visible(blocking(move || node.inbox(after, limit)).await?);
        if !messages.is_empty() || tokio::time::Instant::now() >= deadline {
            return Ok(json(&Inbox { messages }));
        }
        if tokio::time::timeout_at(deadline, rx.changed())
            .await
            .is_err()
        {
            let node = s.node.clone();
            let messages = visible(blocking(move || node.inbox(after, limit)).await?);
            return Ok(json(&Inbox { messages }));
        }
    }
}

async fn sent(State(s): State<AppState>, reader: Reader) -> ApiResult {
    let mut messages = blocking(move || s.node.sent()).await?;
    // Another party reads only what the node sent to it.
    if let Some(p) = reader.party() {
        messages.retain(|m| m.to == *p);
    }
    Ok(json(&crate::wire::Sent { messages }))
}

async fn channel(State(s): State<AppState>, to: Result<Path<String>, PathRejection>) -> ApiResult {
    let to = path(to)?;
    let to = accord_model::PartyId::new(to).map_err(|e| NodeError::Malformed(e.to_string()))?;
    crate::keys::check_party(&to)?;
    let node = s.node.clone();
    let t = to.clone();
    let next_seq = blocking(move || node.next_seq(t.as_str())).await?;
    Ok(json(&Channel { to, next_seq }))
}

async fn checkpoint(
    State(s): State<AppState>,
    party: Result<Path<String>, PathRejection>,
) -> ApiResult {
    let party = log_in_path(party)?;
    let note = blocking(move || s.node.checkpoint(&party)).await?;
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], note).into_response())
}

/// Whether `path` is a C2SP tlog-tiles path below `tile/`: a level (0 to 63) or `entries`,
/// the index in 3-digit groups (all but the last prefixed by `x`), and `.p/<W>` for a partial
/// tile of width 1 to 255. The API document gives the same rule as a pattern; it is spelled
/// out here because the node has no regular-expression engine, and a path of anything else
/// never reaches the file system.
fn is_tile_path(path: &str) -> bool {
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let (path, width) = match path.split_once(".p/") {
        Some((p, w)) => (p, Some(w)),
        None => (path, None),
    };
    let width_ok = width.is_none_or(|w| {
        !w.is_empty()
            && w.len() <= 3
            && !w.starts_with('0')
            && w.bytes().all(|b| b.is_ascii_digit())
            && w.parse::<u16>().is_ok_and(|n| (1..=255).contains(&n))
    });
    let mut parts = path.split('/');
    let level_ok = parts.next().is_some_and(|l| {
        l == "entries"
            || (!l.is_empty()
                && l.len() <= 2
                && l.bytes().all(|b| b.is_ascii_digit())
                && (l.len() == 1 || !l.starts_with('0'))
                && l.parse::<u8>().is_ok_and(|n| n <= 63))
    });
    let rest: Vec<&str> = parts.collect();
    let index_ok = rest.split_last().is_some_and(|(last, groups)| {
        digits(last, 3)
            && groups
                .iter()
                .all(|g| g.strip_prefix('x').is_some_and(|d| digits(d, 3)))
    });
    width_ok && level_ok && index_ok
}

/// Serves a file of a log's C2SP tlog-tiles directory: hash tiles and entry bundles.
async fn tile(
    State(s): State<AppState>,
    reader: Reader,
    params: Result<Path<(String, String)>, PathRejection>,
) -> ApiResult {
    let (party, path) = path(params)?;
    crate::scope::LogName::parse_key(&party)
        .map_err(|e| NodeError::Malformed(format!("path: {e}")))?;
    serve_tile(&s, &reader, &party, &path).await
}

/// Serves `tile/<path>` of `party`'s log directory, for a path of tile names only; entry
/// bundles only to a reader of the log.
async fn serve_tile(s: &AppState, reader: &Reader, party: &str, path: &str) -> ApiResult {
    if !is_tile_path(path) {
        return Err(NodeError::Malformed(format!("{path:?} is not a tile path")).into());
    }
    if path.starts_with("entries/") {
        check_reads(&s.node, reader, party)?;
    }
    let file = s
        .node
        .log_file(party, &format!("tile/{path}"))
        .ok_or_else(|| NodeError::NotFound(format!("no log of party {party} here")))?;
    let bytes = tokio::fs::read(&file)
        .await
        .map_err(|_| NodeError::NotFound(format!("no tile {path} in the log of {party}")))?;
    Ok(([(header::CONTENT_TYPE, "application/octet-stream")], bytes).into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntriesQuery {
    start: Option<u64>,
    limit: Option<u64>,
}

async fn entries(
    State(s): State<AppState>,
    reader: Reader,
    party: Result<Path<String>, PathRejection>,
    q: Result<Query<EntriesQuery>, QueryRejection>,
) -> ApiResult {
    let party = log_in_path(party)?;
    let q = query(q)?;
    check_reads(&s.node, &reader, &party)?;
    let start = in_range("start", q.start, 0, MAX_POSITION)?.unwrap_or(0);
    let limit = in_range("limit", q.limit, 1, 10_000)?.unwrap_or(1000);
    let rows = blocking(move || s.node.entries(&party, start, limit)).await?;
    let mut body = Vec::with_capacity(rows.iter().map(|r| r.1.len() + 32).sum::<usize>() + 16);
    body.extend_from_slice(b"{\"entries\":");
    crate::wire::write_log_entries(&mut body, &rows);
    body.push(b'}');
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

async fn receipts(
    State(s): State<AppState>,
    peer: Result<Path<String>, PathRejection>,
) -> ApiResult {
    let peer = party_in_path(peer)?;
    let p = peer.clone();
    let rows = blocking(move || s.node.receipts(&p)).await?;
    let list: Vec<serde_json::Value> = rows
        .into_iter()
        .map(|(log, size, note)| {
            serde_json::json!({"witness": peer, "log": log, "size": size, "note": note})
        })
        .collect();
    Ok(json(&serde_json::json!({ "receipts": list })))
}

/// Makes a multi-threaded runtime for the node and its clients.
pub fn runtime() -> Result<tokio::runtime::Runtime, NodeError> {
    crate::tls::install_provider();
    tokio::runtime::Runtime::new().map_err(|e| NodeError::io(std::path::Path::new("runtime"), e))
}

/// Binds `listen`, calls `on_bound` with the bound address, then serves until ctrl-c.
pub async fn bind_and_serve(
    node: Arc<Node>,
    listen: &str,
    on_bound: impl FnOnce(std::net::SocketAddr) -> Result<(), NodeError>,
) -> Result<(), NodeError> {
    // A bad operators file is refused before the node says it listens or writes node.json.
    crate::access::Operators::load(node.dir())?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| NodeError::io(std::path::Path::new(listen), e))?;
    let addr = listener
        .local_addr()
        .map_err(|e| NodeError::io(std::path::Path::new(listen), e))?;
    on_bound(addr)?;
    serve(node, listener).await
}

/// The connections open, per peer address and in all, held to the node's limits.
#[derive(Debug)]
struct Connections {
    per_address: usize,
    total: usize,
    open: Mutex<(HashMap<IpAddr, usize>, usize)>,
}

/// One admitted connection; dropping it frees its place.
#[derive(Debug)]
struct Admitted {
    connections: Arc<Connections>,
    ip: IpAddr,
}

impl Connections {
    fn admit(self: &Arc<Self>, ip: IpAddr) -> Option<Admitted> {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let (by_ip, total) = &mut *open;
        let n = by_ip.entry(ip).or_insert(0);
        if *n >= self.per_address || *total >= self.total {
            return None;
        }
        *n += 1;
        *total += 1;
        Some(Admitted {
            connections: self.clone(),
            ip,
        })
    }
}

impl Drop for Admitted {
    fn drop(&mut self) {
        let mut open = self
            .connections
            .open
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let (by_ip, total) = &mut *open;
        *total -= 1;
        if let Some(n) = by_ip.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                by_ip.remove(&self.ip);
            }
        }
    }
}

/// Runs the node on a bound listener: starts the outbox workers and serves until ctrl-c.
///
/// Each connection must send a request's headers within the header timeout (which also closes
/// idle connections), each request must be answered within the request timeout, and a peer
/// address holds at most `max_connections_per_address` connections: connections beyond that
/// are closed at once, so slow or idle clients cannot starve the others.
pub async fn serve(node: Arc<Node>, listener: tokio::net::TcpListener) -> Result<(), NodeError> {
    let rules = Arc::new(crate::access::Access::new(node.clone())?);
    let (server_tls, client_tls) = node.tls(rules.clone())?;
    let client = crate::tls::http_client(client_tls)?;
    let acceptor = node
        .config
        .tls
        .then(|| tokio_rustls::TlsAcceptor::from(Arc::new(server_tls)));
    tokio::spawn(crate::restored::start(node.clone(), client.clone()));
    // Changes are told against the findings as the server starts answering.
    let (ready, started) = tokio::sync::oneshot::channel();
    tokio::spawn(node.clone().follow_findings(ready));
    // A node without agreements has no findings to follow: the sender is dropped at once.
    let _ = started.await;
    let app = router(AppState::new(node.clone(), client, rules.clone()));
    let connections = Arc::new(Connections {
        per_address: node.config.max_connections_per_address.max(1),
        total: node.config.max_connections.max(1),
        open: Mutex::new((HashMap::new(), 0)),
    });
    let header_timeout = node.config.header_timeout;
    if let Ok(addr) = listener.local_addr() {
        let scheme = if acceptor.is_some() { "https" } else { "http" };
        tracing::info!(target: "accord_node", "listening on {scheme}://{addr}");
    }
    for line in node.describe() {
        tracing::info!(target: "accord_node", "{line}");
    }
    let shutdown = tokio::signal::ctrl_c();
    tokio::pin!(shutdown);
    loop {
        let (stream, addr) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(_) => {
                    // Out of file descriptors or a connection reset before accept: wait for
                    // connections to close rather than spin.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => return Ok(()),
        };
        let Some(admitted) = connections.admit(addr.ip()) else {
            drop(stream);
            continue;
        };
        let app = app.clone();
        let acceptor = acceptor.clone();
        let pins = rules.clone();
        tokio::spawn(async move {
            match acceptor {
                None => {
                    let caller = crate::access::Caller::Plain;
                    serve_connection(app, stream, addr, header_timeout, caller).await;
                }
                Some(acceptor) => {
                    // The handshake is held to the header timeout, so a client that opens a
                    // connection and sends nothing is dropped as on plain HTTP.
                    let handshake = tokio::time::timeout(header_timeout, acceptor.accept(stream));
                    if let Ok(Ok(tls)) = handshake.await {
                        let caller = crate::tls::caller(tls.get_ref().1, pins.as_ref());
                        serve_connection(app, tls, addr, header_timeout, caller).await;
                    }
                }
            }
            drop(admitted);
        });
    }
}

/// Serves HTTP/1.1 on one connection until it closes or times out.
async fn serve_connection<S>(
    app: Router,
    stream: S,
    addr: SocketAddr,
    header_timeout: Duration,
    caller: crate::access::Caller,
) where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let service =
        hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
            req.extensions_mut()
                .insert(axum::extract::ConnectInfo(addr));
            req.extensions_mut().insert(caller.clone());
            tower::ServiceExt::oneshot(app.clone(), req.map(axum::body::Body::new))
        });
    let _ = hyper::server::conn::http1::Builder::new()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(header_timeout)
        .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
        .await;
}

#[cfg(test)]
mod tests {
    use super::is_tile_path;

    #[test]
    fn tile_paths_are_those_of_c2sp_tlog_tiles_only() {
        for ok in [
            "0/000",
            "0/000.p/1",
            "63/x001/x234/567",
            "entries/000.p/255",
            "entries/x999/000",
            "1/x001/234.p/7",
        ] {
            assert!(is_tile_path(ok), "{ok}");
        }
        for bad in [
            "",
            "0",
            "0/00",
            "0/0000",
            "64/000",
            "00/000",
            "0/000.p/0",
            "0/000.p/256",
            "0/000.p/01",
            "0/001/000",
            "0/x01/000",
            "entries/000.p/",
            "../node.key",
            "0/./000",
            "0//000",
            "tile/0/000",
            "0/000/",
        ] {
            assert!(!is_tile_path(bad), "{bad}");
        }
    }
}
