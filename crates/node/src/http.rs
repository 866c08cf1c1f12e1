//! The node's HTTP API (axum): every route listed in [`ROUTES`] and documented in `openapi.json`.

use std::sync::Arc;
use std::time::Duration;

use accord_model::envelope::Envelope;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::node::{Effects, Node};
use crate::wire::{Channel, ErrorBody, ExchangeRequest, HotlinePush, Inbox, SubmitBatch};
use crate::{NodeError, OPENAPI};

/// Every route of the API: method and path template, as in `openapi.json`.
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/openapi.json"),
    ("post", "/add-checkpoint"),
    ("get", "/v1/node"),
    ("get", "/v1/state"),
    ("get", "/v1/findings"),
    ("post", "/v1/records"),
    ("post", "/v1/records/batch"),
    ("post", "/v1/exchange"),
    ("post", "/v1/hotline/push"),
    ("get", "/v1/hotline/inbox"),
    ("get", "/v1/hotline/channels/{to}"),
    ("get", "/v1/logs/{party}/checkpoint"),
    ("get", "/v1/logs/{party}/entries"),
    ("get", "/v1/logs/{party}/tile/{path}"),
    ("get", "/v1/receipts/{peer}"),
];

/// The state shared by the handlers.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The node.
    pub node: Arc<Node>,
    /// The HTTP client for hotline pushes.
    pub client: reqwest::Client,
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

fn json<T: serde::Serialize>(v: &T) -> Response {
    axum::Json(v).into_response()
}

/// Builds the router.
pub fn router(state: AppState) -> Router {
    let limit = state.node.config.max_body;
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/add-checkpoint", post(add_checkpoint))
        .route("/v1/node", get(node_info))
        .route("/v1/state", get(node_state))
        .route("/v1/findings", get(findings))
        .route("/v1/records", post(submit_one))
        .route("/v1/records/batch", post(submit_batch))
        .route("/v1/exchange", post(exchange))
        .route("/v1/hotline/push", post(hotline_push))
        .route("/v1/hotline/inbox", get(inbox))
        .route("/v1/hotline/channels/{to}", get(channel))
        .route("/v1/logs/{party}/checkpoint", get(checkpoint))
        .route("/v1/logs/{party}/entries", get(entries))
        .route("/v1/logs/{party}/tile/{*path}", get(tile))
        .route("/v1/receipts/{peer}", get(receipts))
        .fallback(no_route)
        .layer(DefaultBodyLimit::max(limit))
        .with_state(state)
}

async fn no_route() -> ApiError {
    ApiError(NodeError::NotFound("no such route".into()))
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
struct AtQuery {
    at: Option<String>,
}

async fn findings(State(s): State<AppState>, Query(q): Query<AtQuery>) -> ApiResult {
    let at = match q.at {
        Some(t) => t
            .parse()
            .map_err(|e| NodeError::Malformed(format!("query `at` {t:?}: {e}")))?,
        None => crate::node::now(),
    };
    Ok(json(&blocking(move || s.node.findings(at)).await?))
}

/// Pushes new hotline messages to their recipients without waiting.
fn spawn_pushes(s: &AppState, effects: Effects) {
    for (to, index, envelope) in effects.pushes {
        let Some(peer) = s.node.config.peers.iter().find(|p| p.party == to) else {
            continue;
        };
        let url = format!("{}/v1/hotline/push", peer.url.trim_end_matches('/'));
        let body = serde_json::to_vec(&HotlinePush { index, envelope }).expect("json");
        let client = s.client.clone();
        tokio::spawn(async move {
            // The log exchange delivers the message anyway; the push only makes it fast.
            let _ = client
                .post(&url)
                .header(header::CONTENT_TYPE, "application/json")
                .timeout(Duration::from_secs(5))
                .body(body)
                .send()
                .await;
        });
    }
}

async fn submit(s: AppState, envelopes: Vec<Envelope>) -> ApiResult {
    let node = s.node.clone();
    let (submitted, effects) = blocking(move || node.submit(envelopes)).await?;
    spawn_pushes(&s, effects);
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

async fn exchange(State(s): State<AppState>, body: Result<Bytes, BytesRejection>) -> ApiResult {
    let req: ExchangeRequest = parse(body)?;
    let node = s.node.clone();
    let (receipt, effects) = blocking(move || node.receive(req)).await?;
    spawn_pushes(&s, effects);
    Ok(json(&receipt))
}

async fn hotline_push(State(s): State<AppState>, body: Result<Bytes, BytesRejection>) -> ApiResult {
    let push: HotlinePush = parse(body)?;
    let node = s.node.clone();
    let (accepted, effects) = blocking(move || node.hotline_push(push)).await?;
    spawn_pushes(&s, effects);
    Ok(json(&accepted))
}

#[derive(Debug, Deserialize)]
struct InboxQuery {
    after: Option<u64>,
    wait: Option<u64>,
    limit: Option<u64>,
}

async fn inbox(State(s): State<AppState>, Query(q): Query<InboxQuery>) -> ApiResult {
    let after = q.after.unwrap_or(0);
    let limit = q.limit.unwrap_or(100).clamp(1, 1000);
    let wait = Duration::from_secs(q.wait.unwrap_or(0).min(60));
    let mut rx = s.node.inbox_wake.subscribe();
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        rx.borrow_and_update();
        let node = s.node.clone();
        let messages = blocking(move || node.inbox(after, limit)).await?;
        if !messages.is_empty() || tokio::time::Instant::now() >= deadline {
            return Ok(json(&Inbox { messages }));
        }
        if tokio::time::timeout_at(deadline, rx.changed())
            .await
            .is_err()
        {
            let node = s.node.clone();
            let messages = blocking(move || node.inbox(after, limit)).await?;
            return Ok(json(&Inbox { messages }));
        }
    }
}

async fn channel(State(s): State<AppState>, Path(to): Path<String>) -> ApiResult {
    let to = accord_model::PartyId::new(to).map_err(|e| NodeError::Malformed(e.to_string()))?;
    let node = s.node.clone();
    let t = to.clone();
    let next_seq = blocking(move || node.next_seq(t.as_str())).await?;
    Ok(json(&Channel { to, next_seq }))
}

async fn checkpoint(State(s): State<AppState>, Path(party): Path<String>) -> ApiResult {
    let note = blocking(move || s.node.checkpoint(&party)).await?;
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], note).into_response())
}

/// Serves a file of a log's C2SP tlog-tiles directory: hash tiles and entry bundles.
async fn tile(State(s): State<AppState>, Path((party, path)): Path<(String, String)>) -> ApiResult {
    let ok = !path.is_empty()
        && path.split('/').all(|c| {
            !c.is_empty()
                && c != "."
                && c != ".."
                && c.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.')
        });
    if !ok {
        return Err(NodeError::Malformed(format!("{path:?} is not a tile path")).into());
    }
    let file = s
        .node
        .log_file(&party, &format!("tile/{path}"))
        .ok_or_else(|| NodeError::NotFound(format!("no log of party {party} here")))?;
    let bytes = tokio::fs::read(&file)
        .await
        .map_err(|_| NodeError::NotFound(format!("no tile {path} in the log of {party}")))?;
    Ok(([(header::CONTENT_TYPE, "application/octet-stream")], bytes).into_response())
}

#[derive(Debug, Deserialize)]
struct EntriesQuery {
    start: Option<u64>,
    limit: Option<u64>,
}

async fn entries(
    State(s): State<AppState>,
    Path(party): Path<String>,
    Query(q): Query<EntriesQuery>,
) -> ApiResult {
    let start = q.start.unwrap_or(0);
    let limit = q.limit.unwrap_or(1000).clamp(1, 10_000);
    let rows = blocking(move || s.node.entries(&party, start, limit)).await?;
    let mut body = Vec::with_capacity(rows.iter().map(|r| r.1.len() + 32).sum::<usize>() + 16);
    body.extend_from_slice(b"{\"entries\":");
    crate::wire::write_log_entries(&mut body, &rows);
    body.push(b'}');
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

async fn receipts(State(s): State<AppState>, Path(peer): Path<String>) -> ApiResult {
    let p = peer.clone();
    let rows = blocking(move || s.node.receipts(&p)).await?;
    let list: Vec<serde_json::Value> = rows
        .into_iter()
        .map(|(size, note)| serde_json::json!({"witness": peer, "size": size, "note": note}))
        .collect();
    Ok(json(&serde_json::json!({ "receipts": list })))
}

/// Makes a multi-threaded runtime for the node and its clients.
pub fn runtime() -> Result<tokio::runtime::Runtime, NodeError> {
    tokio::runtime::Runtime::new().map_err(|e| NodeError::io(std::path::Path::new("runtime"), e))
}

/// Binds `listen`, calls `on_bound` with the bound address, then serves until ctrl-c.
pub async fn bind_and_serve(
    node: Arc<Node>,
    listen: &str,
    on_bound: impl FnOnce(std::net::SocketAddr) -> Result<(), NodeError>,
) -> Result<(), NodeError> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| NodeError::io(std::path::Path::new(listen), e))?;
    let addr = listener
        .local_addr()
        .map_err(|e| NodeError::io(std::path::Path::new(listen), e))?;
    on_bound(addr)?;
    serve(node, listener).await
}

/// Runs the node on a bound listener: starts the outbox workers and serves until ctrl-c.
pub async fn serve(node: Arc<Node>, listener: tokio::net::TcpListener) -> Result<(), NodeError> {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(8)
        .build()
        .map_err(|e| NodeError::Peer {
            peer: "*".into(),
            reason: e.to_string(),
        })?;
    for peer in node.config.peers.clone() {
        tokio::spawn(crate::outbox::run(node.clone(), client.clone(), peer));
    }
    let app = router(AppState {
        node: node.clone(),
        client,
    });
    let addr = listener.local_addr().ok();
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| NodeError::io(std::path::Path::new(&format!("{addr:?}")), e))
}
