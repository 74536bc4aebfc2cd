//! The REST API under `/restapi`: routing, token service, auth, rate limit, the 85 operations.

use std::collections::HashMap;

use axum::http::{HeaderMap, Method};
use base64::Engine as _;
use serde_json::{json, Map, Value};

use crate::model::*;
use crate::ops::value_text;
use crate::util::{decode, query_pairs};
use crate::{Inner, Reply};

/// (method, path template below `/restapi`, operationId).
pub(crate) const ROUTES: &[(&str, &str, &str)] = &[
    ("GET", "/account-operations/accounts", "getAccountDetails"),
    (
        "GET",
        "/activity-log/boards/{boardId}/cards",
        "getCardListLog",
    ),
    (
        "GET",
        "/activity-log/boards/{boardId}/todos/{id}",
        "getTodoActivityLog",
    ),
    ("GET", "/activity-log/relations", "getAllItemRelationLog"),
    (
        "GET",
        "/attachment-operations/attachments/size-limit",
        "getSizeLimit",
    ),
    (
        "GET",
        "/attachment-operations/boards/{boardId}/cards/{cardId}/attachments",
        "getAttachments",
    ),
    (
        "POST",
        "/attachment-operations/boards/{boardId}/cards/{cardId}/attachments",
        "addAttachment",
    ),
    (
        "DELETE",
        "/attachment-operations/boards/{boardId}/cards/{cardId}/attachments",
        "deleteAttachments",
    ),
    (
        "GET",
        "/attachment-operations/boards/{boardId}/cards/{cardId}/attachments/{id}",
        "getAttachment",
    ),
    (
        "DELETE",
        "/attachment-operations/boards/{boardId}/cards/{cardId}/attachments/{id}",
        "deleteAttachment",
    ),
    ("GET", "/board-operations/boards", "getProjects"),
    (
        "GET",
        "/board-operations/boards/{boardId}/config",
        "getLaneAndQueueDetails",
    ),
    (
        "GET",
        "/board-operations/boards/{boardId}/dynamicDataList",
        "getBoardDynamicLOVDataList",
    ),
    (
        "GET",
        "/board-operations/boards/{boardId}/lanes",
        "getSmartLaneDetails",
    ),
    (
        "GET",
        "/board-operations/boards/{boardId}/lanes/{laneId}/cards",
        "getSmartLaneData",
    ),
    (
        "GET",
        "/board-operations/boards/{boardId}/policies",
        "getBoardPolices",
    ),
    ("GET", "/board-operations/boards/{id}", "getProjectFromId"),
    (
        "GET",
        "/card-operations/boards/cards/ext-creator-id/{emailid}",
        "getCardList",
    ),
    (
        "GET",
        "/card-operations/boards/{boardId}/card-types/{cardType}/startDate/{startDate}/cards",
        "getCardsModifiedSincedate",
    ),
    (
        "GET",
        "/card-operations/boards/{boardId}/cards",
        "getCardList_1",
    ),
    (
        "PUT",
        "/card-operations/boards/{boardId}/cards",
        "updateCards",
    ),
    ("POST", "/card-operations/boards/{boardId}/cards", "addCard"),
    (
        "DELETE",
        "/card-operations/boards/{boardId}/cards",
        "deleteCards",
    ),
    (
        "PUT",
        "/card-operations/boards/{boardId}/cards/archive",
        "archiveCards",
    ),
    (
        "PUT",
        "/card-operations/boards/{boardId}/cards/convert",
        "convertCards",
    ),
    (
        "PUT",
        "/card-operations/boards/{boardId}/cards/discard-abort",
        "discardAbortCards",
    ),
    (
        "PUT",
        "/card-operations/boards/{boardId}/cards/flag",
        "flagCard",
    ),
    (
        "PUT",
        "/card-operations/boards/{boardId}/cards/move/backlog",
        "moveCardToBacklog",
    ),
    (
        "PUT",
        "/card-operations/boards/{boardId}/cards/move/board",
        "moveCardOnBoard",
    ),
    (
        "PUT",
        "/card-operations/boards/{boardId}/cards/move/ready",
        "moveCardToReady",
    ),
    (
        "PUT",
        "/card-operations/boards/{boardId}/cards/transfer",
        "transferCards",
    ),
    (
        "PUT",
        "/card-operations/boards/{boardId}/cards/unflag",
        "unflagCard",
    ),
    (
        "GET",
        "/card-operations/boards/{boardId}/cards/{id}",
        "getCard",
    ),
    (
        "DELETE",
        "/card-operations/boards/{boardId}/cards/{id}",
        "deleteCard",
    ),
    (
        "GET",
        "/card-operations/boards/{boardId}/cards/{id}/new/reference",
        "getCardNewReference",
    ),
    (
        "GET",
        "/comment-operations/boards/{boardId}/cards/comments",
        "getCommentList",
    ),
    (
        "GET",
        "/comment-operations/boards/{boardId}/cards/{id}/comments",
        "getComments",
    ),
    (
        "PUT",
        "/comment-operations/boards/{boardId}/cards/{id}/comments",
        "updateComment",
    ),
    (
        "POST",
        "/comment-operations/boards/{boardId}/cards/{id}/comments",
        "addCommentToCard",
    ),
    (
        "POST",
        "/comment-operations/boards/{boardId}/cards/{id}/comments/reply",
        "replyToComment",
    ),
    (
        "GET",
        "/metadata-operations/boards/{boardId}/cardTypes",
        "getCardTypesForBoard",
    ),
    (
        "GET",
        "/metadata-operations/boards/{boardId}/item-types/{itemType}/dck/{dckKey}/lovData",
        "getDynamicLOVData",
    ),
    (
        "GET",
        "/metadata-operations/card-types/{cardType}/relations",
        "getCardTypeRelations",
    ),
    (
        "GET",
        "/metadata-operations/items/{itemType}/metaData",
        "getMetadata",
    ),
    (
        "GET",
        "/metadata-operations/relation-types",
        "getRelationTypes",
    ),
    (
        "GET",
        "/relation-operations/boards/{boardId}/cards/relations",
        "getAllCardsRelation",
    ),
    (
        "GET",
        "/relation-operations/boards/{boardId}/cards/{id}/relations",
        "getCardRelation",
    ),
    (
        "POST",
        "/relation-operations/boards/{boardId}/cards/{id}/relations",
        "addRelation",
    ),
    (
        "PUT",
        "/relation-operations/boards/{boardId}/cards/{id}/relations/delete",
        "deleteRelation",
    ),
    (
        "GET",
        "/release-operations/boards/{boardId}/releases",
        "getReleaseList",
    ),
    (
        "GET",
        "/release-operations/boards/{boardId}/releases/{id}",
        "getRelease",
    ),
    (
        "GET",
        "/release-operations/boards/{boardId}/releases/{id}/cards",
        "getCardsInRelease",
    ),
    (
        "PUT",
        "/release-operations/boards/{boardId}/releases/{id}/close",
        "closeRelease",
    ),
    (
        "DELETE",
        "/release-operations/boards/{boardId}/releases/{id}/delete",
        "deleteRelease",
    ),
    (
        "PUT",
        "/release-operations/boards/{boardId}/releases/{id}/tag",
        "tagCardsToRelease",
    ),
    (
        "PUT",
        "/release-operations/boards/{boardId}/releases/{id}/untag",
        "untagCardsFromRelease",
    ),
    (
        "PUT",
        "/release-operations/boards/{id}/releases",
        "updateRelease",
    ),
    (
        "POST",
        "/release-operations/boards/{id}/releases",
        "addRelease",
    ),
    ("POST", "/secured/auth", "authenticateUser"),
    (
        "GET",
        "/sprint-operations/boards/{boardId}/releases/{id}/sprints",
        "getSprintsInRelease",
    ),
    (
        "GET",
        "/sprint-operations/boards/{boardId}/sprints",
        "getSprints",
    ),
    (
        "PUT",
        "/sprint-operations/boards/{boardId}/sprints",
        "updateSprint",
    ),
    (
        "POST",
        "/sprint-operations/boards/{boardId}/sprints",
        "addSprint",
    ),
    (
        "GET",
        "/sprint-operations/boards/{boardId}/sprints/{id}",
        "getSprint",
    ),
    (
        "GET",
        "/sprint-operations/boards/{boardId}/sprints/{id}/cards",
        "getCardsInSprint",
    ),
    (
        "PUT",
        "/sprint-operations/boards/{boardId}/sprints/{id}/close",
        "closeSprint",
    ),
    (
        "DELETE",
        "/sprint-operations/boards/{boardId}/sprints/{id}/delete",
        "deleteSprintFromRelease",
    ),
    (
        "PUT",
        "/sprint-operations/boards/{boardId}/sprints/{id}/tag",
        "tagCardsToSprint",
    ),
    (
        "PUT",
        "/sprint-operations/boards/{boardId}/sprints/{id}/untag",
        "untagCardsFromSprint",
    ),
    (
        "GET",
        "/team-member-operations/boards/team-members",
        "getBoardWiseTeamMembers",
    ),
    (
        "GET",
        "/team-member-operations/boards/{boardId}/team-members",
        "getTeamMembers",
    ),
    (
        "POST",
        "/team-member-operations/boards/{boardId}/team-members",
        "inviteTeamMember",
    ),
    (
        "GET",
        "/todo-operations/boards/{boardId}/cardType/{cardType}/todos/startDate/{startDate}",
        "getTodoModifiedSinceDate",
    ),
    (
        "GET",
        "/todo-operations/boards/{boardId}/cards/{cardId}/todos",
        "getTodos",
    ),
    (
        "PUT",
        "/todo-operations/boards/{boardId}/cards/{cardId}/todos",
        "modifyTodos",
    ),
    (
        "POST",
        "/todo-operations/boards/{boardId}/cards/{cardId}/todos",
        "createTodo",
    ),
    (
        "DELETE",
        "/todo-operations/boards/{boardId}/cards/{cardId}/todos",
        "deleteTodos",
    ),
    (
        "GET",
        "/todo-operations/boards/{boardId}/cards/{cardId}/todos/{id}",
        "getTodo",
    ),
    (
        "DELETE",
        "/todo-operations/boards/{boardId}/cards/{cardId}/todos/{todoId}",
        "deleteTodo",
    ),
    ("GET", "/user-operations/users", "getUserList"),
    ("POST", "/user-operations/users", "addUser"),
    ("DELETE", "/user-operations/users", "deleteUsers"),
    (
        "GET",
        "/user-operations/users/token",
        "getUserDetailsResponse",
    ),
    ("GET", "/user-operations/users/{id}", "getUser"),
    ("DELETE", "/user-operations/users/{id}", "deleteUser"),
];

/// Operations whose documented answer when every item fails is 422.
const HAS_422: &[&str] = &[
    "deleteRelation",
    "addRelation",
    "moveCardToBacklog",
    "moveCardOnBoard",
    "moveCardToReady",
    "transferCards",
    "addUser",
];

type Params = HashMap<&'static str, String>;

fn match_route(method: &str, path: &str) -> Option<(&'static str, Params)> {
    let segs: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
    let mut best: Option<(usize, &'static str, Params)> = None;
    for (m, template, op) in ROUTES {
        if *m != method {
            continue;
        }
        let t: Vec<&'static str> = template.split('/').skip(1).collect();
        if t.len() != segs.len() {
            continue;
        }
        let mut params = Params::new();
        let mut statics = 0;
        let ok = t.iter().zip(&segs).all(|(ts, s)| {
            if ts.starts_with('{') {
                params.insert(&ts[1..ts.len() - 1], decode(s, false));
                true
            } else {
                statics += 1;
                ts == s
            }
        });
        if ok && best.as_ref().is_none_or(|b| statics > b.0) {
            best = Some((statics, op, params));
        }
    }
    best.map(|(_, op, p)| (op, p))
}

fn envelope(details: Value, kind: &str, messages: &[String], self_uri: &str) -> String {
    json!({"Response": {"details": details, "messageView": {
        "type": kind, "message": messages, "uriMap": {"selfUri": self_uri}}}})
    .to_string()
}

/// What an operation answers (before the envelope).
pub(crate) struct Out {
    status: u16,
    details: Value,
    kind: &'static str,
    messages: Vec<String>,
}

fn ok(op: &str, details: Value) -> Out {
    Out {
        status: 200,
        details,
        kind: "success",
        messages: vec![format!("{op} successful")],
    }
}

fn bad(msg: impl Into<String>) -> Out {
    Out {
        status: 400,
        details: json!({}),
        kind: "error",
        messages: vec![msg.into()],
    }
}

type R = Result<Out, Out>;

#[allow(clippy::too_many_arguments)]
pub(crate) fn handle(
    inner: &mut Inner,
    method: &Method,
    path: &str,
    query: &str,
    headers: &HeaderMap,
    body: &[u8],
    base: &str,
) -> Reply {
    let self_uri = if query.is_empty() {
        format!("{base}{path}")
    } else {
        format!("{base}{path}?{query}")
    };
    let json_reply = |status: u16, text: String, served: Option<&str>| Reply {
        status,
        content_type: "application/json".into(),
        body: text,
        headers: Vec::new(),
        served: served.map(|op| (String::new(), op.to_string())),
    };
    let rest_path = &path["/restapi".len()..];
    let Some((op, params)) = match_route(method.as_str(), rest_path) else {
        return json_reply(
            404,
            envelope(
                json!({}),
                "error",
                &["No resource found for the given URI.".into()],
                &self_uri,
            ),
            None,
        );
    };
    if op == "authenticateUser" {
        let (status, text) = authenticate(inner, body, &self_uri);
        return json_reply(status, text, Some(op));
    }
    let token = headers
        .get("AuthorizationToken")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let Some(user) = inner.user_for_token(token).cloned() else {
        return json_reply(
            401,
            envelope(
                json!({}),
                "error",
                &["Access denied due to invalid token.".into()],
                &self_uri,
            ),
            None,
        );
    };
    if let Err(wait) = inner.rate_check(&user.login) {
        let mut r = json_reply(
            429,
            envelope(
                json!({}),
                "error",
                &[format!(
                    "Rate limit exceeded: at most {} web service calls per minute.",
                    inner.config.rate_limit_per_minute.unwrap_or(0)
                )],
                &self_uri,
            ),
            None,
        );
        r.headers.push(("retry-after", wait.to_string()));
        return r;
    }
    let q = query_pairs(query);
    let actor = match q
        .iter()
        .find(|(k, _)| k == "loginId")
        .map(|(_, v)| v.clone())
    {
        Some(login) if !login.is_empty() => match inner.model.user(&login) {
            Some(u) if u.active => u.login.clone(),
            _ => {
                return json_reply(
                    400,
                    envelope(
                        json!({}),
                        "error",
                        &[format!("Invalid loginId : {login}")],
                        &self_uri,
                    ),
                    Some(op),
                );
            }
        },
        _ => user.login.clone(),
    };
    let body_value = if body.iter().all(u8::is_ascii_whitespace) {
        Value::Null
    } else {
        match serde_json::from_slice::<Value>(body) {
            Ok(v) => v,
            Err(e) => {
                return json_reply(
                    400,
                    envelope(
                        json!({}),
                        "error",
                        &[format!("Malformed request body: {e}")],
                        &self_uri,
                    ),
                    Some(op),
                );
            }
        }
    };
    let mut ctx = Ctx {
        m: &mut inner.model,
        op,
        p: params,
        q,
        body: body_value,
        actor,
    };
    let out = dispatch(&mut ctx).unwrap_or_else(|e| e);
    json_reply(
        out.status,
        envelope(out.details, out.kind, &out.messages, &self_uri),
        Some(op),
    )
}

fn authenticate(inner: &mut Inner, body: &[u8], self_uri: &str) -> (u16, String) {
    let fail = |status: u16, msg: &str| {
        (
            status,
            envelope(json!({}), "error", &[msg.to_string()], self_uri),
        )
    };
    let text = String::from_utf8_lossy(body);
    let token = serde_json::from_str::<Value>(&text).ok().and_then(|v| {
        v.get("AuthenticationToken")
            .and_then(Value::as_str)
            .map(str::to_string)
    });
    let Some(token) = token else {
        return fail(400, "AuthenticationToken is missing.");
    };
    let Some(encoded) = token.strip_prefix("SwiftKanban ") else {
        return fail(400, "AuthenticationToken must start with 'SwiftKanban '.");
    };
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok());
    let Some((login, password)) = decoded.as_deref().and_then(|d| d.split_once(':')) else {
        return fail(400, "AuthenticationToken is not base64(loginId:password).");
    };
    let Some(user) = inner.model.user(login).filter(|u| u.active).cloned() else {
        return (500, json!({"Response": {"details": {}, "messageView": {"type": "error", "message": ["User does not exist in LDAP."], "uriMap": null}}}).to_string());
    };
    if user.password != password {
        return fail(401, "Invalid login credentials.");
    }
    if !user.integration_user {
        return fail(401, "Rest API access is allowed only for Integration User.");
    }
    if let Err(_wait) = inner.rate_check(&user.login) {
        return fail(429, "Rate limit exceeded.");
    }
    let jwt = inner.token_for_user(&user);
    let details = json!({
        "userData": {"dateTime": "dd-MMM-yyyy", "firstName": user.first_name, "lastName": user.last_name,
                     "loginId": user.login, "emailId": user.email, "personId": user.id},
        "authDetails": {"AuthorizationToken": jwt}
    });
    (
        201,
        envelope(
            details,
            "success",
            &["Authentication Successful!".into()],
            self_uri,
        ),
    )
}

struct Ctx<'a> {
    m: &'a mut Model,
    op: &'static str,
    p: Params,
    q: Vec<(String, String)>,
    body: Value,
    actor: String,
}

fn s<T: ToString>(v: T) -> Value {
    Value::String(v.to_string())
}

impl Ctx<'_> {
    fn p(&self, k: &str) -> String {
        self.p.get(k).cloned().unwrap_or_default()
    }
    fn q1(&self, k: &str) -> Option<String> {
        self.q.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
    }
    fn qa(&self, k: &str) -> Vec<String> {
        self.q
            .iter()
            .filter(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .collect()
    }
    fn board_param(&self, key: &str) -> Result<u64, Out> {
        let raw = self.p(key);
        raw.parse::<u64>()
            .ok()
            .filter(|id| self.m.board(*id).is_some())
            .ok_or_else(|| bad(format!("No workspace found for the project id : {raw}")))
    }
    fn board(&self) -> Result<u64, Out> {
        self.board_param("boardId")
    }
    /// A `Type:unique` path reference.
    fn card_path(&self, key: &str, board: u64) -> Result<u64, Out> {
        let raw = self.p(key);
        let (t, u) = raw.split_once(':').unwrap_or(("", raw.as_str()));
        self.m.resolve(Some(board), t, u).map_err(bad)
    }
    fn items(&self, key: &str) -> Result<Vec<Map<String, Value>>, Out> {
        let arr = self
            .body
            .get(key)
            .and_then(Value::as_array)
            .ok_or_else(|| bad(format!("Request body must contain '{key}'.")))?;
        Ok(arr.iter().filter_map(|v| v.as_object().cloned()).collect())
    }
    fn ok(&self, details: Value) -> R {
        Ok(ok(self.op, details))
    }
    /// Bulk answer: 200/201 when all items succeed, 207 when some do, 422 (or 400) when none do.
    fn bulk(
        &self,
        key: &str,
        items: Vec<(bool, Value)>,
        created: bool,
        extra: Map<String, Value>,
    ) -> R {
        let n = items.len();
        let good = items.iter().filter(|i| i.0).count();
        let mut details = extra;
        details.insert(
            key.into(),
            Value::Array(items.into_iter().map(|i| i.1).collect()),
        );
        let op = self.op;
        if n == 0 {
            return Err(bad("Request contains no items."));
        }
        if good == n {
            return Ok(Out {
                status: if created { 201 } else { 200 },
                details: Value::Object(details),
                kind: "success",
                messages: vec![format!("{op} successful")],
            });
        }
        if good > 0 {
            // The service labels some 207 answers `success` (unflagCard, modifyTodos, deleteTodos).
            let kind = if matches!(op, "unflagCard" | "modifyTodos" | "deleteTodos") {
                "success"
            } else {
                "partial_success"
            };
            if op == "addCard" {
                details.insert("successCount".into(), json!(good));
            }
            return Ok(Out {
                status: 207,
                details: Value::Object(details),
                kind,
                messages: vec![format!("{op} partially successful")],
            });
        }
        let status = if HAS_422.contains(&op) { 422 } else { 400 };
        Err(Out {
            status,
            details: Value::Object(details),
            kind: "error",
            messages: vec![format!("{op} failed")],
        })
    }
    fn item_card(&self, board: u64, it: &Map<String, Value>) -> Result<u64, String> {
        let t = it.get("cardType").map(value_text).unwrap_or_default();
        let u = it.get("cardUniqueId").map(value_text).unwrap_or_default();
        self.m.resolve(Some(board), &t, &u)
    }
}

fn msg(m: impl Into<String>) -> Value {
    json!([m.into()])
}

fn with(mut it: Map<String, Value>, status: Result<&str, &str>) -> Value {
    match status {
        Ok(m) => {
            it.insert("responseStatus".into(), s("Successful"));
            it.insert("responseMsg".into(), msg(m));
        }
        Err(m) => {
            it.insert("responseStatus".into(), s("Failed"));
            it.insert("responseMsg".into(), msg(m));
        }
    }
    Value::Object(it)
}

fn stringify_ids(mut it: Map<String, Value>) -> Map<String, Value> {
    for (_, v) in it.iter_mut() {
        if v.is_number() {
            *v = s(v.to_string());
        }
    }
    it
}

fn dispatch(c: &mut Ctx) -> R {
    match c.op {
        "getAccountDetails" => {
            let m = &c.m;
            c.ok(json!({"accountDetails": {"accountType": "Enterprise", "accountUrl": "http://127.0.0.1/",
                "billingAddressId": "1547289", "contactAddressId": "1547289",
                "contactPerson": m.users.first().map(|u| u.id.to_string()).unwrap_or_default(),
                "createdDate": "2024-01-08T09:00:00Z", "currentState": "Active", "description": " ",
                "id": m.account_id.to_string(), "itemType": "AppAccount", "modifiedById": "10000",
                "modifiedDate": "2024-01-08T09:00:00Z", "name": m.account_name}}))
        }
        "getProjects" => {
            let boards: Vec<Value> = c.m.boards.iter().filter(|b| {
                c.q1("other-boards").as_deref() == Some("Y") || b.team.iter().any(|(l, _)| l.eq_ignore_ascii_case(&c.actor))
            }).map(|b| board_json(b, true)).collect();
            c.ok(json!({"board": boards}))
        }
        "getProjectFromId" => {
            let b = c.board_param("id")?;
            let board = c.m.board(b).map(|b| board_json(b, false)).unwrap_or_default();
            Ok(Out { messages: vec!["getBoards successful".into()], ..ok(c.op, json!({"boardDetails": board})) })
        }
        "getSmartLaneDetails" => {
            let b = c.board()?;
            let lanes: Vec<Value> = c.m.board(b).map(|b| b.lanes.iter().map(|l| {
                let mut qs = Vec::new();
                flat_queues(&l.queues, "", &mut qs);
                json!({"laneId": s(l.id), "laneName": l.name, "queue": qs})
            }).collect()).unwrap_or_default();
            c.ok(json!({"swimLane": lanes}))
        }
        "getLaneAndQueueDetails" => {
            let b = c.board()?;
            let lanes: Vec<Value> = c.m.board(b).map(|b| b.lanes.iter().map(|l| {
                json!({"id": s(l.id), "name": l.name, "queue": tree_queues(&l.queues, "", "", None)})
            }).collect()).unwrap_or_default();
            c.ok(json!({"boardAttribute": "Default", "lane": lanes}))
        }
        "getSmartLaneData" => {
            let b = c.board()?;
            let lane_id = c.p("laneId");
            let lane = c.m.board(b).and_then(|b| b.lanes.iter().find(|l| l.id.to_string() == lane_id)).cloned()
                .ok_or_else(|| bad(format!("Invalid laneId : {lane_id}")))?;
            let m = &*c.m;
            let cards_of = |q: u64| -> Vec<Value> {
                m.cards.iter().filter(|x| x.is_live() && x.position.map(|p| p.1) == Some(q)).map(|x| m.card_labels(x.id)).collect()
            };
            let queues = tree_queues(&lane.queues, "", "", Some(&cards_of));
            c.ok(json!({"lane": {"id": s(lane.id), "name": lane.name, "showWIP": true, "wip": "-1", "minwip": "-1", "queue": queues}}))
        }
        "getBoardPolices" => {
            let b = c.board()?;
            let p = c.m.board(b).map(|b| b.policies.clone()).unwrap_or_default();
            Ok(Out { messages: vec!["getBoardPolicies successful".into()], ..ok(c.op, json!({"policies": p})) })
        }
        "getBoardDynamicLOVDataList" => {
            let b = c.board()?;
            c.ok(json!({"dynamicDataList": dynamic_lists(c.m, b)}))
        }
        "getCardList_1" => {
            let b = c.board()?;
            let list = card_list(c, b).map_err(bad)?;
            Ok(Out { messages: vec!["getCardList successful".into()], ..ok(c.op, json!({"cardDetails": list})) })
        }
        "getCard" => {
            let b = c.board()?;
            let id = c.card_path("id", b)?;
            let card = project(c.m.card_json(id), &c.qa("fieldName"), c.q1("isLabel").as_deref() == Some("Y"));
            c.ok(json!({"cardDetails": card}))
        }
        "getCardList" => {
            let email = c.p("emailid");
            let list: Vec<Value> = c.m.cards.iter().filter(|x| x.is_live() && x.created_by.eq_ignore_ascii_case(&email)).map(|x| {
                json!({"cardNumber": x.number, "id": x.id, "name": x.title(), "workType": x.work_type, "workspaceId": x.board_id})
            }).collect();
            c.ok(json!({"cardDetails": list}))
        }
        "getCardsModifiedSincedate" => {
            let b = c.board()?;
            let t = c.p("cardType");
            let from = c.p("startDate");
            let to = c.q1("endDate");
            let list: Vec<Value> = c.m.cards.iter().filter(|x| x.board_id == b && x.work_type.eq_ignore_ascii_case(&t)
                && x.modified >= from && to.as_ref().is_none_or(|e| &x.modified <= e) && x.state != CardState::Deleted).map(|x| {
                json!({"cardNumber": x.number, "createdDate": x.created, "id": s(x.id), "modifiedDate": x.modified})
            }).collect();
            c.ok(json!({"cardDetails": list}))
        }
        "getCardNewReference" => {
            let b = c.board()?;
            let id = c.card_path("id", b)?;
            let card = c.m.card(id).cloned().unwrap_or_else(unreachable_card);
            let number = c.m.board(b).map(|x| x.number).unwrap_or(0);
            c.ok(json!({"cardDetails": {"cardNumber": card.number, "projectNumber": number, "workspaceId": b}}))
        }
        "addCard" => {
            let b = c.board()?;
            let mut out = Vec::new();
            for it in c.items("card")? {
                let wt = it.get("workType").map(value_text).unwrap_or_default();
                match c.m.create_card(b, &wt, &it, &c.actor.clone()) {
                    Ok(id) => out.push((true, json!({"card": c.m.card_json(id), "responseStatus": "Successful", "responseMsg": ["Card added successfully"]}))),
                    Err(e) => out.push((false, json!({"card": Value::Object(it.clone()), "responseStatus": "Failed", "responseMsg": [e]}))),
                }
            }
            c.bulk("cardDetails", out, true, Map::new())
        }
        "updateCards" => {
            let b = c.board()?;
            let mut out = Vec::new();
            for it in c.items("card")? {
                let wt = it.get("workType").map(value_text).unwrap_or_default();
                let idv = it.get("id").map(value_text).unwrap_or_default();
                let echo = json!({"id": idv, "workType": wt});
                let r = c.m.resolve(Some(b), &wt, &idv).and_then(|id| c.m.update_card(id, &it, &c.actor.clone()));
                match r {
                    // responseMsg is a plain string on success (as the service sends it).
                    Ok(()) => out.push((true, json!({"card": echo, "responseStatus": "Successful", "responseMsg": "Card updated successfully"}))),
                    Err(e) => out.push((false, json!({"card": echo, "responseStatus": "Failed", "responseMsg": [e]}))),
                }
            }
            c.bulk("cardDetails", out, false, Map::new())
        }
        "deleteCards" | "deleteCard" => {
            let b = c.board()?;
            let refs = if c.op == "deleteCard" { vec![c.p("id")] } else { c.qa("id") };
            let mut out = Vec::new();
            for r in refs {
                let (t, u) = r.split_once(':').unwrap_or(("", r.as_str()));
                let echo = json!({"id": u, "workType": t});
                match c.m.resolve(Some(b), t, u).and_then(|id| c.m.delete_card(id, &c.actor.clone())) {
                    Ok(()) => out.push((true, json!({"card": echo, "responseStatus": "Successful", "responseMsg": ["Card deleted successfully"]}))),
                    Err(e) => out.push((false, json!({"card": echo, "responseStatus": "Failed", "responseMsg": [e]}))),
                }
            }
            if c.op == "deleteCard" {
                let (good, item) = out.pop().unwrap_or((false, json!({})));
                return if good { c.ok(json!({"cardDetails": item})) } else { Err(Out { details: json!({"cardDetails": item}), ..bad("deleteCard failed") }) };
            }
            c.bulk("cardDetails", out, false, Map::new())
        }
        "moveCardToReady" | "moveCardOnBoard" | "moveCardToBacklog" | "archiveCards" | "discardAbortCards" | "flagCard" | "unflagCard" | "transferCards" => {
            let b = c.board()?;
            let mut out = Vec::new();
            let actor = c.actor.clone();
            for it in c.items("cardDetails")? {
                let mut echo = stringify_ids(it.clone());
                let r: Result<&str, String> = c.item_card(b, &it).and_then(|id| {
                    let g = |k: &str| it.get(k).map(value_text).unwrap_or_default();
                    match c.op {
                        "moveCardToReady" => {
                            let (l, q) = (g("swimId"), g("queueId"));
                            echo.remove("swimId");
                            echo.remove("queueId");
                            echo.insert("toSwimId".into(), s(&l));
                            echo.insert("toQkeyId".into(), s(&q));
                            c.m.move_to_ready(id, l.parse().unwrap_or(0), q.parse().unwrap_or(0), &actor).map(|_| "Card Moved successfully")
                        }
                        "moveCardOnBoard" => {
                            let from = c.m.move_on_board(id, g("toSwimId").parse().unwrap_or(0), g("toQkeyId").parse().unwrap_or(0), &actor)?;
                            echo.insert("fromSwimId".into(), s(from.0));
                            echo.insert("fromQkeyId".into(), s(from.1));
                            Ok("Card moved successfully")
                        }
                        "moveCardToBacklog" => c.m.move_to_backlog(id, &actor).map(|_| "Card moved to Backlog successfully"),
                        "archiveCards" => c.m.archive(id, &actor).map(|_| "Card Archived successfully"),
                        "discardAbortCards" => c.m.discard(id, &g("discardAbortReason"), &g("discardAbortComment"), &actor).map(|_| "Card discard/abort successfully"),
                        "flagCard" => {
                            let by = Some(g("flaggedBy")).filter(|x| !x.is_empty()).unwrap_or(actor.clone());
                            let shown = c.m.flag(id, &g("flagType"), &g("flagReason"), &g("flagComment"), &by)?;
                            echo.insert("flagType".into(), s(shown));
                            Ok("Card has been Flag successfully.")
                        }
                        "unflagCard" => {
                            let shown = c.m.unflag(id, &g("flagType"), &actor)?;
                            echo.insert("flagType".into(), s(shown));
                            Ok("Card has been UnFlag successfully.")
                        }
                        _ => {
                            let dq = g("destinationQueueId").parse().ok();
                            let dl = g("destinationSwimId").parse().ok();
                            let new = c.m.transfer(id, g("destinationBoardId").parse().unwrap_or(0), dl, dq, &actor)?;
                            echo.insert("newCard".into(), c.m.card_json(new));
                            Ok("Card transferred successfully")
                        }
                    }
                });
                match r {
                    Ok(m) => out.push((true, with(echo, Ok(m)))),
                    Err(e) => out.push((false, with(echo, Err(&e)))),
                }
            }
            c.bulk("cardDetails", out, false, Map::new())
        }
        "convertCards" => {
            let b = c.board()?;
            let dest = c.body.get("destionWorkType").map(value_text).unwrap_or_default();
            let brk = c.body.get("breakRelation").map(value_text).is_some_and(|v| v.eq_ignore_ascii_case("true"));
            let mut out = Vec::new();
            for it in c.items("card")? {
                let t = it.get("workType").map(value_text).unwrap_or_default();
                let u = it.get("id").map(value_text).unwrap_or_default();
                let mut echo = Map::new();
                echo.insert("cardType".into(), s(&t));
                echo.insert("cardUniqueId".into(), s(&u));
                match c.m.resolve(Some(b), &t, &u).and_then(|id| c.m.convert(id, &dest, brk, &c.actor.clone())) {
                    Ok(new) => {
                        echo.insert("newCard".into(), c.m.card_json(new));
                        out.push((true, with(echo, Ok("Card updated successfully"))));
                    }
                    Err(e) => out.push((false, with(echo, Err(&e)))),
                }
            }
            c.bulk("cardDetails", out, false, Map::new())
        }
        // ---------------------------------------------------------------- relations
        "getCardRelation" => {
            let b = c.board()?;
            let id = c.card_path("id", b)?;
            let m = &*c.m;
            let from: Vec<Value> = m.relations.iter().filter(|r| r.to == id).map(|r| rel_card(m, r.from, &r.kind)).collect();
            let to: Vec<Value> = m.relations.iter().filter(|r| r.from == id).map(|r| rel_card(m, r.to, &r.kind)).collect();
            c.ok(json!({"fromCard": from, "toCard": to}))
        }
        "addRelation" | "deleteRelation" => {
            let b = c.board()?;
            let id = c.card_path("id", b)?;
            let adding = c.op == "addRelation";
            let mut details = Map::new();
            let (mut good, mut total) = (0, 0);
            for side in ["fromCard", "toCard"] {
                let Some(arr) = c.body.get(side).and_then(Value::as_array).cloned() else { continue };
                let mut items = Vec::new();
                for it in arr.iter().filter_map(Value::as_object) {
                    total += 1;
                    let kind = it.get("relation").map(value_text).unwrap_or_default();
                    let ob = it.get("boardId").map(value_text).and_then(|v| v.parse().ok()).unwrap_or(b);
                    let t = it.get("cardType").map(value_text).unwrap_or_default();
                    let u = it.get("cardUniqueId").map(value_text).unwrap_or_default();
                    let r = c.m.resolve(Some(ob), &t, &u).and_then(|other| {
                        let rel = if side == "fromCard" { Relation { from: other, to: id, kind: kind.clone() } } else { Relation { from: id, to: other, kind: kind.clone() } };
                        if !["Parent-child", "Has", "kanbanDependency"].contains(&kind.as_str()) {
                            return Err(format!("Invalid relation : {kind}"));
                        }
                        let exists = c.m.relations.contains(&rel);
                        if adding {
                            if exists { return Err("Relation already exists".into()); }
                            c.m.relations.push(rel.clone());
                        } else {
                            if !exists { return Err("Relation does not exist. Cannot delete relation.".into()); }
                            c.m.relations.retain(|x| x != &rel);
                        }
                        c.m.relation_log.push(RelationEvent { at: now_iso(), added: adding, relation: rel });
                        Ok(if adding { "Relation added successfully" } else { "Relation deleted successfully" })
                    });
                    let echo = stringify_ids(it.clone());
                    match r {
                        Ok(m) => { good += 1; items.push(with(echo, Ok(m))); }
                        Err(e) => items.push(with(echo, Err(&e))),
                    }
                }
                details.insert(side.into(), Value::Array(items));
            }
            if total == 0 { return Err(bad("Request contains no relations.")); }
            let details = Value::Object(details);
            let op = c.op;
            if good == total {
                Ok(Out { status: if adding { 201 } else { 200 }, ..ok(op, details) })
            } else if good > 0 {
                Ok(Out { status: 207, details, kind: "partial_success", messages: vec![format!("{op} partially successful")] })
            } else {
                Err(Out { status: 422, details, kind: "error", messages: vec![format!("{op} failed")] })
            }
        }
        "getAllCardsRelation" => {
            let b = c.board()?;
            let ids = c.qa("cardId");
            let types = c.qa("cardType");
            let kinds = c.qa("relationType");
            let m = &*c.m;
            let mut out = Vec::new();
            for (i, raw) in ids.iter().enumerate() {
                let (t0, u) = raw.split_once(':').unwrap_or(("", raw.as_str()));
                let t = if t0.is_empty() { types.get(i).cloned().unwrap_or_default() } else { t0.to_string() };
                let Ok(id) = m.resolve(Some(b), &t, u) else { continue };
                let keep = |k: &str| kinds.is_empty() || kinds.iter().any(|x| x == k);
                let card = m.card(id).cloned().unwrap_or_else(unreachable_card);
                let from: Vec<Value> = m.relations.iter().filter(|r| r.to == id && keep(&r.kind)).map(|r| rel_card(m, r.from, &r.kind)).collect();
                let to: Vec<Value> = m.relations.iter().filter(|r| r.from == id && keep(&r.kind)).map(|r| rel_card(m, r.to, &r.kind)).collect();
                out.push(json!({"boardId": s(b), "cardType": card.work_type, "cardUniqueId": s(id), "fromCard": from, "toCard": to}));
            }
            c.ok(json!({"relations": out}))
        }
        "getAllItemRelationLog" => {
            let from = c.q1("fromDate").unwrap_or_default();
            let m = &*c.m;
            let ev = |added: bool| -> Vec<Value> {
                m.relation_log.iter().filter(|e| e.added == added && e.at >= from).map(|e| json!({
                    "fromCard": rel_ref(m, e.relation.from), "toCard": rel_ref(m, e.relation.to),
                    "relation": e.relation.kind, "timeStamp": e.at})).collect()
            };
            Ok(Out { messages: vec!["getRelationLog successful".into()], ..ok(c.op, json!({"addedRelation": ev(true), "deletedRelation": ev(false), "timeStamp": now_iso()})) })
        }
        // ---------------------------------------------------------------- comments
        "getComments" => {
            let b = c.board()?;
            let id = c.card_path("id", b)?;
            let list: Vec<Value> = c.m.comments.iter().filter(|x| x.card_id == id).rev().map(|x| comment_json(c.m, x)).collect();
            c.ok(json!({"comment": list}))
        }
        "getCommentList" => {
            let b = c.board()?;
            let limit: i64 = c.q1("limitPerCard").and_then(|v| v.parse().ok()).unwrap_or(5);
            let by = c.qa("commentsAddedBy");
            let (from, to) = (c.q1("startDate").unwrap_or_default(), c.q1("endDate"));
            let mut list = Vec::new();
            for r in c.qa("id") {
                let (t, u) = r.split_once(':').unwrap_or(("", r.as_str()));
                let Ok(id) = c.m.resolve(Some(b), t, u) else { continue };
                let items: Vec<&Comment> = c.m.comments.iter().rev().filter(|x| x.card_id == id
                    && (by.is_empty() || by.iter().any(|l| l.eq_ignore_ascii_case(&x.by)))
                    && x.created >= from && to.as_ref().is_none_or(|e| &x.created <= e)).collect();
                let n = if limit < 0 { items.len() } else { (limit as usize).min(items.len()) };
                list.extend(items[..n].iter().map(|x| comment_json(c.m, x)));
            }
            Ok(Out { messages: vec!["getComments successful".into()], ..ok(c.op, json!({"comment": list})) })
        }
        "addCommentToCard" | "replyToComment" | "updateComment" => {
            let b = c.board()?;
            let id = c.card_path("id", b)?;
            let mut out = Vec::new();
            for it in c.items("comment")? {
                let text = it.get("commentText").map(value_text).unwrap_or_default();
                let by = it.get("commentedBy").map(value_text).filter(|v| !v.is_empty()).unwrap_or(c.actor.clone());
                let ext = it.get("commentExternalId").map(value_text);
                let mut echo = json!({"commentText": text, "commentedBy": by});
                let r: Result<(u64, &str), String> = (|| {
                    if text.trim().is_empty() { return Err("'commentText' cannot be blank".to_string()); }
                    if c.m.user(&by).is_none() { return Err(format!("Invalid userId: {by}")); }
                    match c.op {
                        "updateComment" => {
                            let cid = it.get("id").map(value_text).unwrap_or_default();
                            let cm = c.m.comments.iter_mut().find(|x| x.id.to_string() == cid && x.card_id == id).ok_or(format!("Invalid comment Id : {cid}"))?;
                            cm.text = text.clone();
                            Ok((cm.id, "Update comment successful"))
                        }
                        op => {
                            let parent = if op == "replyToComment" {
                                let e = ext.clone().unwrap_or_default();
                                Some(c.m.comments.iter().find(|x| x.id.to_string() == e || x.external_id.as_deref() == Some(e.as_str())).map(|x| x.id).ok_or("Invalid external comment Id")?)
                            } else { None };
                            let cid = c.m.fresh_id();
                            c.m.comments.push(Comment { id: cid, card_id: id, text: text.clone(), by: by.clone(), created: now_iso(), reply_to: parent, external_id: if op == "replyToComment" { None } else { ext.clone() } });
                            Ok((cid, "add comment successfull"))
                        }
                    }
                })();
                match r {
                    Ok((cid, m)) => { echo["id"] = s(cid); out.push((true, json!({"comment": echo, "responseStatus": "Successful", "responseMsg": [m]}))) }
                    Err(e) => out.push((false, json!({"comment": echo, "responseStatus": "Failed", "responseMsg": [e]}))),
                }
            }
            c.bulk("commentDetails", out, c.op != "updateComment", Map::new())
        }
        // ---------------------------------------------------------------- attachments
        "getSizeLimit" => c.ok(json!({"sizeLimit": c.m.size_limit_mb})),
        "getAttachments" => {
            let b = c.board()?;
            let id = c.card_path("cardId", b)?;
            let list: Vec<Value> = c.m.attachments.iter().filter(|a| a.card_id == id).map(|a| attachment_json(c.m, a, false)).collect();
            c.ok(json!({"attachment": list}))
        }
        "getAttachment" => {
            let b = c.board()?;
            let id = c.card_path("cardId", b)?;
            let aid = c.p("id");
            let a = c.m.attachments.iter().find(|a| a.card_id == id && a.id.to_string() == aid).ok_or_else(|| bad(format!("Invalid attachmentId : {aid}")))?;
            c.ok(json!({"attachment": attachment_json(c.m, a, true)}))
        }
        "addAttachment" => {
            let b = c.board()?;
            let id = c.card_path("cardId", b)?;
            let card = c.m.card(id).cloned().unwrap_or_else(unreachable_card);
            let limit = c.m.size_limit_mb * 1024 * 1024;
            let mut out = Vec::new();
            for it in c.items("attachment")? {
                let name = it.get("fileNameWithExt").map(value_text).unwrap_or_default();
                let by = it.get("attachmentAddedBy").map(value_text).filter(|v| !v.is_empty()).unwrap_or(c.actor.clone());
                let content = base64::engine::general_purpose::STANDARD.decode(it.get("content").map(value_text).unwrap_or_default());
                let echo = json!({"cardType": card.work_type, "cardUniqueId": s(id), "createdBy": by, "fileNameWithExt": name});
                let r = match content {
                    _ if name.is_empty() => Err("Required field: fileNameWithExt is missing".to_string()),
                    Err(_) => Err("content is not valid base64".into()),
                    Ok(bytes) if bytes.len() as u64 > limit => Err(format!("Attachment exceeds the size limit of {} MB", c.m.size_limit_mb)),
                    Ok(bytes) => {
                        let aid = c.m.fresh_id();
                        c.m.attachments.push(Attachment { id: aid, card_id: id, file_name: name.clone(), content: bytes, by: by.clone(), created: now_iso() });
                        Ok(())
                    }
                };
                match r {
                    Ok(()) => out.push((true, json!({"attachment": echo, "responseStatus": "Successful", "responseMsg": ["add attachment successful"]}))),
                    Err(e) => out.push((false, json!({"attachment": echo, "responseStatus": "Failed", "responseMsg": [e]}))),
                }
            }
            c.bulk("attachmentDetails", out, true, Map::new())
        }
        "deleteAttachments" | "deleteAttachment" => {
            let b = c.board()?;
            let id = c.card_path("cardId", b)?;
            let card = c.m.card(id).cloned().unwrap_or_else(unreachable_card);
            let single = c.op == "deleteAttachment";
            let ids = if single { vec![c.p("id")] } else { c.qa("id") };
            let mut out = Vec::new();
            for aid in ids {
                let before = c.m.attachments.len();
                c.m.attachments.retain(|a| !(a.card_id == id && a.id.to_string() == aid));
                let good = c.m.attachments.len() < before;
                let reference = format!("{}:{}", card.work_type, card.number);
                let item = if single {
                    json!({"attachmentId": aid, "cardType": card.work_type, "cardUniqueId": s(id), "projectId": s(b),
                           "successMsg": if good { "Attachment Deleted Successfully." } else { "Invalid attachmentId" }})
                } else {
                    json!({"attachmentId": aid.parse::<u64>().unwrap_or(0), "cardType": card.work_type, "cardUniqueId": reference, "projectId": b,
                           "responseStatus": if good { "Successful" } else { "Failed" },
                           "successMsg": if good { "Attachment Deleted Successfully." } else { "Invalid attachmentId" }})
                };
                out.push((good, item));
            }
            if single {
                let (good, item) = out.pop().unwrap_or((false, json!({})));
                return if good { c.ok(json!({"deleteAttachmentResponse": item})) } else { Err(bad(format!("Invalid attachmentId : {}", c.p("id")))) };
            }
            c.bulk("attachments", out, false, Map::new())
        }
        // ---------------------------------------------------------------- todos
        "getTodos" => {
            let b = c.board()?;
            let id = c.card_path("cardId", b)?;
            let filter = c.q1("filter").unwrap_or_default();
            let conds = old_filter(&filter);
            let fields = c.qa("fieldName");
            let list: Vec<Value> = c.m.todos.iter().filter(|t| t.card_id == id && !t.deleted).map(|t| todo_json(c.m, t))
                .filter(|v| conds.iter().all(|(k, val)| v.get(k).map(value_text).is_some_and(|x| x.eq_ignore_ascii_case(val))))
                .map(|v| project(v, &fields, false)).collect();
            Ok(Out { messages: vec!["getTodos successful!".into()], ..ok(c.op, json!({"todos": list})) })
        }
        "getTodo" => {
            let b = c.board()?;
            let id = c.card_path("cardId", b)?;
            let tid = c.p("id");
            let t = c.m.todos.iter().find(|t| t.card_id == id && !t.deleted && (t.id.to_string() == tid || t.number.eq_ignore_ascii_case(&tid)))
                .ok_or_else(|| bad(format!("Invalid todoId:{tid} for given project")))?;
            let v = project(todo_json(c.m, t), &c.qa("fieldName"), false);
            Ok(Out { messages: vec!["getTodo successful!".into()], ..ok(c.op, json!({"todos": [v]})) })
        }
        "getTodoModifiedSinceDate" => {
            let b = c.board()?;
            let (t, from, to) = (c.p("cardType"), c.p("startDate"), c.q1("endDate"));
            let m = &*c.m;
            let list: Vec<Value> = m.todos.iter().filter(|x| !x.deleted && x.modified >= from && to.as_ref().is_none_or(|e| &x.modified <= e)
                && m.card(x.card_id).is_some_and(|cd| cd.board_id == b && cd.work_type.eq_ignore_ascii_case(&t))).map(|x| todo_json(m, x)).collect();
            Ok(Out { messages: vec!["getTodoModifiedSinceDate successful!".into()], ..ok(c.op, json!({"todos": list})) })
        }
        "createTodo" => {
            let b = c.board()?;
            let id = c.card_path("cardId", b)?;
            let mut out = Vec::new();
            for it in c.items("todos")? {
                let g = |k: &str| it.get(k).map(value_text).unwrap_or_default();
                let name = g("name");
                let state = Some(g("currentState")).filter(|v| !v.is_empty()).unwrap_or("Pending".into());
                if name.trim().is_empty() {
                    out.push((false, json!({"currentState": state, "responseStatus": "Failed", "responseMsg": ["Required field: name is missing"]})));
                    continue;
                }
                let owner = normalize_owner(c.m, &g("todoOwner"));
                let tid = c.m.fresh_id();
                let n = c.m.todos.iter().filter(|t| t.card_id == id).count() + 1;
                let now = now_iso();
                c.m.todos.push(Todo { id: tid, number: format!("TODO{n}"), card_id: id, name, state, owner, created: now.clone(), created_by: c.actor.clone(), modified: now, modified_by: c.actor.clone(), deleted: false });
                c.m.log_todo(tid, "Created", None, "", "", &c.actor.clone());
                let t = c.m.todos.last().cloned().unwrap_or_else(|| unreachable!());
                let mut v = todo_json(c.m, &t);
                v["responseStatus"] = s("Successful");
                out.push((true, v));
            }
            // createTodo answers 200, not 201.
            c.bulk("todos", out, false, Map::new()).map(|o| Out { messages: vec!["createTodo successfully".into()], ..o })
        }
        "modifyTodos" => {
            let b = c.board()?;
            let id = c.card_path("cardId", b)?;
            let mut out = Vec::new();
            let actor = c.actor.clone();
            for it in c.items("todos")? {
                let g = |k: &str| it.get(k).map(value_text);
                let tid = g("id").unwrap_or_default();
                let Some(pos) = c.m.todos.iter().position(|t| t.card_id == id && !t.deleted && t.id.to_string() == tid) else {
                    out.push((false, json!({"id": tid, "responseStatus": "Failed", "responseMsg": [format!("Invalid todoId:{tid} for given project")]})));
                    continue;
                };
                let owner = g("todoOwner").map(|o| normalize_owner(c.m, &o));
                let t = &mut c.m.todos[pos];
                let old_state = t.state.clone();
                if let Some(n) = g("name") { t.name = n; }
                // The service's example spells it `currentstate`; accept both.
                if let Some(st) = g("currentstate").or_else(|| g("currentState")) { t.state = st; }
                if let Some(o) = owner { t.owner = o; }
                t.modified = now_iso();
                t.modified_by = actor.clone();
                let new_state = t.state.clone();
                if new_state != old_state {
                    c.m.log_todo(pos as u64, "", None, "", "", &actor);
                    if let Some(last) = c.m.activity.last_mut() {
                        last.todo_id = Some(tid.parse().unwrap_or(0));
                        last.action = format!("Updated from {old_state} to {new_state}");
                        last.field = Some("Current State".into());
                        last.old = old_state;
                        last.new = new_state;
                    }
                }
                out.push((true, json!({"id": tid, "responseStatus": "Successful", "responseMsg": ["Todo updated successful"]})));
            }
            c.bulk("todos", out, false, Map::new()).map(|o| Out { messages: vec!["ModifyTodos successfully".into()], ..o })
        }
        "deleteTodos" | "deleteTodo" => {
            let b = c.board()?;
            let id = c.card_path("cardId", b)?;
            let card = c.m.card(id).cloned().unwrap_or_else(unreachable_card);
            let ids = if c.op == "deleteTodo" { vec![c.p("todoId")] } else { c.qa("id") };
            let mut out = Vec::new();
            for tid in ids {
                let t = c.m.todos.iter_mut().find(|t| t.card_id == id && !t.deleted && (t.id.to_string() == tid || t.number.eq_ignore_ascii_case(&tid)));
                let good = t.map(|t| t.deleted = true).is_some();
                // responseMsg is a plain string here.
                out.push((good, json!({"boardId": s(b), "cardType": card.work_type, "cardUniqueId": card.number, "id": tid,
                    "responseStatus": if good { "Successful" } else { "Failed" },
                    "responseMsg": if good { "Todo Deleted successfully".to_string() } else { format!("Invalid todoId:{tid} for given project") }})));
            }
            c.bulk("todos", out, false, Map::new())
        }
        // ---------------------------------------------------------------- activity
        "getCardListLog" => {
            let b = c.board()?;
            let mut list = Vec::new();
            for r in c.qa("id") {
                let (t, u) = r.split_once(':').unwrap_or(("", r.as_str()));
                match c.m.resolve(Some(b), t, u) {
                    Ok(id) => {
                        let card = c.m.card(id).cloned().unwrap_or_else(unreachable_card);
                        let acts: Vec<Value> = c.m.activity.iter().filter(|a| a.card_id == Some(id)).map(|a| activity_json(&card, a)).collect();
                        list.push(json!({"activityLog": {"activity": acts}, "cardType": card.work_type, "cardUniqueId": s(id), "responseStatus": "Successful"}));
                    }
                    Err(e) => list.push(json!({"cardType": t, "cardUniqueId": u, "responseStatus": "Failed", "responseMsg": [e]})),
                }
            }
            c.ok(json!({"cardDetails": list}))
        }
        "getTodoActivityLog" => {
            let _ = c.board()?;
            let tid = c.p("id");
            let t = c.m.todos.iter().find(|t| t.id.to_string() == tid || t.number.eq_ignore_ascii_case(&tid)).ok_or_else(|| bad(format!("Invalid todoId:{tid} for given project")))?;
            let acts: Vec<Value> = c.m.activity.iter().rev().filter(|a| a.todo_id == Some(t.id)).map(|a| {
                let mut v = json!({"action": a.action, "id": s(a.id), "modifiedBy": a.by, "timeStamp": a.at, "todoId": s(t.id),
                    "oldValue": if a.old.is_empty() { Value::Null } else { s(&a.old) }, "newValue": if a.new.is_empty() { Value::Null } else { s(&a.new) }});
                if let Some(f) = &a.field { v["fieldName"] = s(f); }
                v
            }).collect();
            c.ok(json!({"ActivityLog": {"Activity": acts}}))
        }
        // ---------------------------------------------------------------- metadata
        "getCardTypesForBoard" => {
            let b = c.board()?;
            let types: Vec<Value> = c.m.board(b).map(|x| x.card_types.iter().map(|t| json!({"CardCode": t.code, "CardType": t.key, "TypeName": t.name})).collect()).unwrap_or_default();
            c.ok(json!({"CardTypes": {"Card": types}}))
        }
        "getMetadata" => {
            let it = c.p("itemType");
            let t = c.m.boards.iter().flat_map(|b| b.card_types.iter()).find(|t| t.key.eq_ignore_ascii_case(&it) || t.code.eq_ignore_ascii_case(&it)).cloned()
                .ok_or_else(|| bad(format!("Invalid itemType : {it}")))?;
            c.ok(json!({"Card": {"CardMetadataDetails": {"CardFieldDetails": {"field": metadata_fields(&t.key)},
                "cardId": "1618383", "cardName": t.name, "cardRevision": "0", "cardType": t.key, "description": format!("{} description", t.key), "type": "Standard"}}}))
        }
        "getRelationTypes" => c.ok(json!({"relationType": [
            {"name": "Parent-child"},
            {"name": "Has", "relationSubType": [{"name": "upward"}, {"name": "downward"}]},
            {"name": "kanbanDependency", "relationSubType": [{"name": "upward"}, {"name": "downward"}]}]})),
        "getCardTypeRelations" => {
            let t = c.p("cardType");
            let all: Vec<String> = c.m.boards.first().map(|b| b.card_types.iter().map(|x| x.key.clone()).collect()).unwrap_or_default();
            if !all.iter().any(|x| x.eq_ignore_ascii_case(&t)) { return Err(bad(format!("Invalid cardType: {t}"))); }
            let rels: Vec<Value> = ["Parent-child", "Has", "kanbanDependency"].iter().map(|k| json!({"type": k, "fromCardTypes": [t], "toCardTypes": all})).collect();
            c.ok(json!({"relation": rels}))
        }
        "getDynamicLOVData" => {
            let b = c.board()?;
            let key = c.p("dckKey");
            let lists = dynamic_lists(c.m, b);
            let list = lists.iter().find(|l| l["dynamicDataKey"] == key.as_str()).ok_or_else(|| bad(format!("Invalid dckKey : {key}")))?;
            let items: Vec<Value> = list["items"].as_array().cloned().unwrap_or_default().iter().map(|i| {
                let it = &i["item"];
                json!({"itemValue": it.get("userId").or(it.get("id")).cloned().unwrap_or_default(),
                       "itemLabel": it.get("displayName").or(it.get("name")).cloned().unwrap_or_default()})
            }).collect();
            c.ok(json!({"Items": {"Items": items}}))
        }
        // ---------------------------------------------------------------- releases
        "getReleaseList" => {
            let b = c.board()?;
            let list: Vec<Value> = c.m.releases.iter().filter(|r| r.board_id == b && !r.deleted).map(|r| json!({
                "capacity": r.capacity, "name": r.name, "releaseDate": r.end, "releaseId": s(r.id), "releaseStatus": r.state, "startDate": r.start})).collect();
            c.ok(json!({"projectId": s(b), "release": list}))
        }
        "getRelease" => {
            let b = c.board()?;
            let r = find_release(c.m, b, &c.p("id"))?;
            c.ok(json!({"release": release_json(c.m, &r)}))
        }
        "addRelease" | "updateRelease" => {
            let b = c.board_param("id")?;
            let adding = c.op == "addRelease";
            let mut out = Vec::new();
            for it in c.items("release")? {
                let g = |k: &str| it.get(k).map(value_text).filter(|v| !v.is_empty());
                let name = g("name").unwrap_or_default();
                let r: Result<u64, String> = if adding {
                    if name.is_empty() { Err("Required field: name is missing".into()) }
                    else if c.m.releases.iter().any(|r| r.board_id == b && !r.deleted && r.name == name) { Err(format!("Release '{name}' is already present on board.")) }
                    else {
                        let id = c.m.fresh_id();
                        let number = c.m.releases.iter().filter(|r| r.board_id == b).count() as u64 + 1;
                        c.m.releases.push(Release { id, number, board_id: b, name, state: "Active".into(), start: g("startDate"), end: g("releaseDate"), capacity: g("capacity").unwrap_or("0".into()), deleted: false });
                        Ok(id)
                    }
                } else {
                    let id = g("id").unwrap_or_default();
                    match c.m.releases.iter_mut().find(|r| r.board_id == b && !r.deleted && r.id.to_string() == id) {
                        Some(r) => {
                            if !name.is_empty() { r.name = name; }
                            if let Some(v) = g("startDate") { r.start = Some(v); }
                            if let Some(v) = g("releaseDate") { r.end = Some(v); }
                            Ok(r.id)
                        }
                        None => Err(format!("Invalid releaseId : {id}")),
                    }
                };
                match r {
                    Ok(id) => {
                        let rel = c.m.releases.iter().find(|r| r.id == id).cloned().unwrap_or_else(|| unreachable!());
                        out.push((true, json!({"release": release_json(c.m, &rel), "responseStatus": "Successful",
                            "responseMsg": [if adding { "Release Added successfully" } else { "Release updated successfully" }]})));
                    }
                    Err(e) => out.push((false, json!({"responseStatus": "Failed", "responseMsg": [e]}))),
                }
            }
            c.bulk("releaseDetails", out, adding, Map::new())
        }
        "getCardsInRelease" | "getCardsInSprint" => {
            let b = c.board()?;
            let rid = c.p("id");
            let release = c.op == "getCardsInRelease";
            let target = if release { find_release(c.m, b, &rid)?.id } else { find_sprint(c.m, b, &rid)?.id };
            let list: Vec<Value> = c.m.cards.iter().filter(|x| x.is_live() && x.board_id == b && if release { x.release == Some(target) } else { x.sprint == Some(target) })
                .map(|x| json!({"cardTitle": x.title(), "cardType": x.work_type, "cardUniqueId": s(x.id)})).collect();
            let key = if release { "releaseId" } else { "iterationId" };
            c.ok(json!({"card": list, "projectId": s(b), key: s(target)}))
        }
        "tagCardsToRelease" | "untagCardsFromRelease" | "tagCardsToSprint" | "untagCardsFromSprint" => {
            let b = c.board()?;
            let rid = c.p("id");
            let release = c.op.contains("Release");
            let tag = c.op.starts_with("tag");
            let (target, target_release) = if release { (find_release(c.m, b, &rid)?.id, None) } else { let sp = find_sprint(c.m, b, &rid)?; (sp.id, sp.release) };
            let what = if release { "release" } else { "Sprint" };
            let mut out = Vec::new();
            for it in c.items("card")? {
                let echo = {
                    let mut e = Map::new();
                    e.insert("cardType".into(), s(it.get("cardType").map(value_text).unwrap_or_default()));
                    e.insert("cardUniqueId".into(), s(it.get("cardUniqueId").map(value_text).unwrap_or_default()));
                    e
                };
                let r = c.item_card(b, &it).and_then(|id| {
                    let card = c.m.card_mut(id).ok_or("No card found")?;
                    let slot = if release { &mut card.release } else { &mut card.sprint };
                    if tag {
                        *slot = Some(target);
                        if let (false, Some(r)) = (release, target_release) { card.release = Some(r); }
                        Ok(if release { "Card added to release successfully".to_string() } else { "Card added to Sprint successfully".into() })
                    } else if *slot == Some(target) {
                        *slot = None;
                        Ok(if release { "Card untagged successfully".to_string() } else { "Card untagged from Sprint successfully".into() })
                    } else {
                        Err(format!("Card {id} not tagged to {what} {target}"))
                    }
                });
                match r {
                    Ok(m) => out.push((true, with(echo, Ok(&m)))),
                    Err(e) => out.push((false, with(echo, Err(&e)))),
                }
            }
            let mut extra = Map::new();
            extra.insert("projectId".into(), s(b));
            extra.insert(if release { "releaseId" } else { "iterationId" }.into(), s(target));
            c.bulk("card", out, false, extra)
        }
        "closeRelease" | "closeSprint" => {
            let b = c.board()?;
            let rid = c.p("id");
            if c.op == "closeRelease" {
                let id = find_release(c.m, b, &rid)?.id;
                if let Some(r) = c.m.releases.iter_mut().find(|r| r.id == id) { r.state = "Closed".into(); }
                c.ok(json!({"projectId": s(b), "releaseId": s(id), "responseStatus": "Successful", "responseMsg": "Release closed successfully."}))
            } else {
                let id = find_sprint(c.m, b, &rid)?.id;
                if let Some(r) = c.m.sprints.iter_mut().find(|r| r.id == id) { r.state = "Closed".into(); }
                c.ok(json!({"projectId": s(b), "iterationId": s(id), "responseStatus": "Successful", "responseMsg": "Iteration closed successfully."}))
            }
        }
        "deleteRelease" => {
            let b = c.board()?;
            let id = find_release(c.m, b, &c.p("id"))?.id;
            if let Some(r) = c.m.releases.iter_mut().find(|r| r.id == id) { r.deleted = true; }
            for card in c.m.cards.iter_mut().filter(|x| x.release == Some(id)) { card.release = None; }
            c.ok(json!({"projectId": s(b), "releaseId": s(id), "successMsg": "Release Deleted Successfully."}))
        }
        // ---------------------------------------------------------------- sprints
        "getSprints" | "getSprintsInRelease" => {
            let b = c.board()?;
            let rel = if c.op == "getSprintsInRelease" { Some(find_release(c.m, b, &c.p("id"))?.id) } else { None };
            let list: Vec<Value> = c.m.sprints.iter().filter(|x| x.board_id == b && !x.deleted && rel.is_none_or(|r| x.release == Some(r))).map(|x| {
                let mut v = json!({"capacity": x.capacity, "endDate": x.end, "iterationId": s(x.id), "iterationStatus": x.state, "name": x.name, "startDate": x.start});
                if rel.is_none() { v["releaseId"] = s(x.release.map(|r| r.to_string()).unwrap_or("0".into())); }
                v
            }).collect();
            let mut d = json!({"iteration": list, "projectId": s(b)});
            if let Some(r) = rel { d["releaseId"] = s(r); }
            c.ok(d)
        }
        "getSprint" => {
            let b = c.board()?;
            let sp = find_sprint(c.m, b, &c.p("id"))?;
            c.ok(json!({"sprint": sprint_json(c.m, &sp)}))
        }
        "addSprint" | "updateSprint" => {
            let b = c.board()?;
            let adding = c.op == "addSprint";
            let mut out = Vec::new();
            for it in c.items("sprint")? {
                let g = |k: &str| it.get(k).map(value_text).filter(|v| !v.is_empty());
                let rel = match g("release") {
                    Some(name) => match c.m.releases.iter().find(|r| r.board_id == b && !r.deleted && (r.name == name || r.id.to_string() == name)) {
                        Some(r) => Ok(Some(r.id)),
                        None => Err(format!("Invalid release : {name}")),
                    },
                    None => Ok(None),
                };
                let r: Result<u64, String> = rel.and_then(|rel| if adding {
                    let name = g("name").ok_or("Required field: name is missing")?;
                    let id = c.m.fresh_id();
                    let number = c.m.sprints.iter().filter(|x| x.board_id == b).count() as u64 + 1;
                    // The service's example spells the start date `startdate`; accept both.
                    let start = g("startdate").or(g("startDate")).unwrap_or_else(now_iso);
                    let end = g("endDate").unwrap_or_else(|| start.clone());
                    c.m.sprints.push(Sprint { id, number, board_id: b, release: rel, name, state: "Active".into(), start, end, capacity: g("capacity").unwrap_or("0".into()), deleted: false });
                    Ok(id)
                } else {
                    let id = g("id").unwrap_or_default();
                    let sp = c.m.sprints.iter_mut().find(|x| x.board_id == b && !x.deleted && x.id.to_string() == id).ok_or(format!("Invalid sprintId : {id}"))?;
                    if let Some(n) = g("name") { sp.name = n; }
                    if rel.is_some() { sp.release = rel; }
                    if let Some(v) = g("startdate").or(g("startDate")) { sp.start = v; }
                    if let Some(v) = g("endDate") { sp.end = v; }
                    Ok(sp.id)
                });
                match r {
                    Ok(id) => {
                        let sp = c.m.sprints.iter().find(|x| x.id == id).cloned().unwrap_or_else(|| unreachable!());
                        out.push((true, json!({"sprint": sprint_json(c.m, &sp), "responseStatus": "Successful",
                            "responseMsg": [if adding { "Sprint Added successfully" } else { "Sprint updated successfully" }]})));
                    }
                    Err(e) => out.push((false, json!({"responseStatus": "Failed", "responseMsg": [e]}))),
                }
            }
            c.bulk("sprintDetails", out, adding, Map::new())
        }
        "deleteSprintFromRelease" => {
            let b = c.board()?;
            let id = find_sprint(c.m, b, &c.p("id"))?.id;
            if let Some(x) = c.m.sprints.iter_mut().find(|x| x.id == id) { x.deleted = true; }
            for card in c.m.cards.iter_mut().filter(|x| x.sprint == Some(id)) { card.sprint = None; }
            c.ok(json!({"projectId": s(b), "iterationId": s(id), "successMsg": "Iteration Deleted Successfully."}))
        }
        // ---------------------------------------------------------------- team members, users
        "getTeamMembers" => {
            let b = c.board()?;
            c.ok(json!({"teamMember": team_json(c.m, b)}))
        }
        "getBoardWiseTeamMembers" => {
            let all = c.q1("other-boards").as_deref() == Some("Y");
            let list: Vec<Value> = c.m.boards.iter().filter(|b| all || b.team.iter().any(|(l, _)| l.eq_ignore_ascii_case(&c.actor)))
                .map(|b| json!({"boardId": s(b.id), "teamMember": team_json(c.m, b.id)})).collect();
            c.ok(json!({"boardWiseTeamMember": list}))
        }
        "inviteTeamMember" => {
            let b = c.board()?;
            let mut out = Vec::new();
            for it in c.items("teamMember")? {
                let login = it.get("userLoginId").map(value_text).unwrap_or_default();
                let role = it.get("role").map(value_text).filter(|v| !v.is_empty()).unwrap_or("Member".into());
                let echo = json!({"role": role, "userLoginId": login});
                let r = add_team_member(c.m, b, &login, &role);
                match r {
                    Ok(()) => out.push((true, json!({"teamMember": echo, "responseStatus": "Successful", "responseMsg": ["teamMember Added Successfuly"]}))),
                    Err(e) => out.push((false, json!({"teamMember": echo, "responseStatus": "Failed", "responseMsg": [e]}))),
                }
            }
            c.bulk("teamMemberDetails", out, true, Map::new())
        }
        "getUserList" => {
            let fields = c.qa("fieldName");
            let filter = c.q1("filter").unwrap_or_default();
            let list: Vec<Value> = c.m.users.iter().filter(|u| u.active).map(user_list_json)
                .filter(|v| adv_match(v, &filter)).map(|v| project(v, &fields, false)).collect();
            c.ok(json!({"userDetails": list}))
        }
        "getUser" => {
            let id = c.p("id");
            let u = find_user(c.m, &id).ok_or_else(|| bad(format!("Invalid userId : {id}")))?;
            c.ok(json!({"userData": {"emailAddress": u.email, "firstName": u.first_name, "lastName": u.last_name, "loginId": u.login, "primaryRole": u.primary_role}}))
        }
        "getUserDetailsResponse" => {
            let id = c.q1("authUserId").unwrap_or_else(|| c.actor.clone());
            let u = find_user(c.m, &id).ok_or_else(|| bad(format!("Invalid authUserId : {id}")))?;
            let mut v = user_list_json(&u);
            for k in ["middleName", "phoneNumber", "personalEmail", "blogUrl", "twitterHandle", "address1", "address2", "address3", "city", "url"] {
                v[k] = s("");
            }
            c.ok(json!({"userDetails": v}))
        }
        "addUser" => {
            let mut out = Vec::new();
            for it in c.items("user")? {
                let g = |k: &str| it.get(k).map(value_text).unwrap_or_default();
                let echo = Value::Object(stringify_ids(it.clone()));
                let r = add_user(c.m, &g("loginId"), &g("emailId"), &g("firstName"), &g("lastName"), &g("primaryRole"), &g("timeZone"));
                match r {
                    Ok(_) => out.push((true, json!({"user": echo, "responseStatus": "Successful", "responseMsg": ["User Added Successfully"]}))),
                    Err(e) => out.push((false, json!({"user": echo, "responseStatus": "Failed", "responseMsg": [e]}))),
                }
            }
            c.bulk("userDetails", out, true, Map::new())
        }
        "deleteUsers" | "deleteUser" => {
            let ids = if c.op == "deleteUser" { vec![c.p("id")] } else { c.qa("id") };
            let mut out = Vec::new();
            for id in ids {
                match delete_user(c.m, &id, &c.actor.clone()) {
                    Ok(login) => out.push((true, json!({"user": {"loginId": login}, "responseStatus": "Successful", "responseMsg": ["User Deleted Successfully"]}))),
                    Err(e) => out.push((false, json!({"user": {"loginId": id}, "responseStatus": "Failed", "responseMsg": [e]}))),
                }
            }
            c.bulk("userDetails", out, false, Map::new())
        }
        other => Err(bad(format!("operation {other} is not implemented"))),
    }
}

fn unreachable_card() -> Card {
    Card {
        id: 0,
        number: String::new(),
        board_id: 0,
        work_type: String::new(),
        position: None,
        state: CardState::Deleted,
        blocked: None,
        risk: None,
        fields: Default::default(),
        release: None,
        sprint: None,
        created: String::new(),
        created_by: String::new(),
        modified: String::new(),
        modified_by: String::new(),
    }
}

pub(crate) fn find_user(m: &Model, id: &str) -> Option<User> {
    m.users
        .iter()
        .find(|u| u.active && (u.id.to_string() == id || u.login.eq_ignore_ascii_case(id)))
        .cloned()
}

pub(crate) fn add_user(
    m: &mut Model,
    login: &str,
    email: &str,
    first: &str,
    last: &str,
    role: &str,
    tz: &str,
) -> Result<u64, String> {
    if login.trim().is_empty() {
        return Err("Required field: loginId is missing".into());
    }
    if first.trim().is_empty() {
        return Err("Required field: firstName is missing".into());
    }
    if m.user(login).is_some() {
        return Err(
            "Person already exists with the same Login Id. Please add a different Login Id.".into(),
        );
    }
    let role = if role.is_empty() { "Member" } else { role };
    let id = m.add_user(login, "", first, last, role, false);
    if let Some(u) = m.users.iter_mut().find(|u| u.id == id) {
        if !email.is_empty() {
            u.email = email.into();
        }
        if !tz.is_empty() {
            u.time_zone = tz.into();
        }
    }
    Ok(id)
}

pub(crate) fn delete_user(m: &mut Model, id: &str, actor: &str) -> Result<String, String> {
    let u = m
        .users
        .iter_mut()
        .find(|u| u.active && (u.id.to_string() == id || u.login.eq_ignore_ascii_case(id)))
        .ok_or(format!("Invalid userId : {id}"))?;
    if u.login.eq_ignore_ascii_case(actor) {
        return Err("A user cannot delete himself.".into());
    }
    u.active = false;
    let login = u.login.clone();
    for b in &mut m.boards {
        b.team.retain(|(l, _)| !l.eq_ignore_ascii_case(&login));
    }
    Ok(login)
}

pub(crate) fn add_team_member(
    m: &mut Model,
    b: u64,
    login: &str,
    role: &str,
) -> Result<(), String> {
    let user = m
        .user(login)
        .filter(|u| u.active)
        .map(|u| u.login.clone())
        .ok_or(format!("Invalid userLoginId : {login}"))?;
    let board = m.board_mut(b).ok_or("No workspace found")?;
    if board
        .team
        .iter()
        .any(|(l, _)| l.eq_ignore_ascii_case(&user))
    {
        return Err("Person already exists in the board with the same Login Id. Please add a different Login Id.".into());
    }
    board.team.push((user, role.into()));
    Ok(())
}

fn normalize_owner(m: &Model, owner: &str) -> String {
    m.user(owner)
        .map(|u| u.login.clone())
        .unwrap_or_else(|| "Unassigned".into())
}

fn role_number(role: &str) -> &'static str {
    match role {
        "Admin" => "4",
        "Member" => "2",
        _ => "32",
    }
}

pub(crate) fn team_json(m: &Model, b: u64) -> Vec<Value> {
    m.board(b)
        .map(|board| {
            board
                .team
                .iter()
                .filter_map(|(l, role)| {
                    m.user(l).map(|u| {
                        json!({
        "emailAddress": u.email, "firstName": u.first_name, "id": s(u.id), "lastName": u.last_name,
        "loginId": u.login, "primaryRole": role_number(&u.primary_role), "projectRole": role})
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

fn user_list_json(u: &User) -> Value {
    json!({"belongsToOrg": 1028364, "createdBy": 10000, "createdDate": "2024-01-08T09:00:00Z", "currentState": "Active",
        "dateFormat": "dd-MMM-yyyy", "emailAddress": u.email, "employeeId": "", "firstName": u.first_name, "id": u.id,
        "isSharedResource": "No", "lastLoginOn": "2024-01-08T09:00:00Z", "lastName": u.last_name, "modifiedBy": u.id,
        "modifiedDate": "2024-01-08T09:00:00Z", "primaryRole": role_number(&u.primary_role).parse::<u64>().unwrap_or(2),
        "userId": u.login, "userNumber": u.id % 1000, "workingOrg": 1028364, "timeZone": u.time_zone})
}

fn board_json(b: &Board, list: bool) -> Value {
    let mut v = json!({"boardId": s(b.id), "createdBy": s(b.created_by), "currentState": "Active",
        "modifiedBy": s(b.created_by), "projectName": b.name, "projectNumber": s(b.number)});
    if list {
        v["createdDate"] = s("2024-01-08 09:00:00.0");
        v["modifiedDate"] = s("2024-01-08 09:00:00.0");
        v["personRole"] = s("2");
    } else {
        v["createdDate"] = s(&b.created);
        v["modifiedDate"] = s(&b.created);
        v["start_date"] = s("");
        v["end_date"] = s("");
    }
    v
}

fn flat_queues(qs: &[Queue], prefix: &str, out: &mut Vec<Value>) {
    for q in qs {
        let display = if prefix.is_empty() {
            q.name.clone()
        } else {
            format!("{prefix}#{}", q.name)
        };
        out.push(json!({"queueId": s(q.id), "isParent": if q.children.is_empty() { "N" } else { "Y" }, "queueName": q.name, "displayName": display}));
        flat_queues(&q.children, &display, out);
    }
}

type CardsOf<'a> = &'a dyn Fn(u64) -> Vec<Value>;

fn tree_queues(qs: &[Queue], prefix: &str, wbs: &str, cards: Option<CardsOf>) -> Vec<Value> {
    qs.iter().enumerate().map(|(i, q)| {
        let display = if prefix.is_empty() { q.name.clone() } else { format!("{prefix}#{}", q.name) };
        let w = if wbs.is_empty() { format!("{:05}", i + 1) } else { format!("{wbs}.{:05}", i + 1) };
        let mut v = json!({"id": s(q.id), "name": q.name, "displayName": display, "wbs": w, "wip": s(q.wip), "minwip": s(q.min_wip), "showWIP": q.wip > 0,
            "children": tree_queues(&q.children, &display, &w, cards)});
        if !q.children.is_empty() { v["splitType"] = s("Vertical"); }
        if let Some(f) = cards { v["card"] = Value::Array(f(q.id)); }
        v
    }).collect()
}

fn dynamic_lists(m: &Model, b: u64) -> Vec<Value> {
    let mut team =
        vec![json!({"item": {"displayName": "Unassigned", "id": "0", "userId": "Unassigned"}})];
    if let Some(board) = m.board(b) {
        for (l, _) in &board.team {
            if let Some(u) = m.user(l) {
                team.push(json!({"item": {"displayName": u.display_name(), "id": s(u.id), "userId": u.login}}));
            }
        }
    }
    let mut sprints = vec![json!({"item": {"id": "0", "name": "Not Yet Identified"}})];
    for x in m.sprints.iter().filter(|x| x.board_id == b && !x.deleted) {
        sprints.push(json!({"item": {"id": s(x.id), "name": x.name}, "dependentItem": {"id": s(x.release.unwrap_or(0))}}));
    }
    let mut releases = vec![json!({"item": {"id": "0", "name": "Not Yet Identified"}})];
    for r in m.releases.iter().filter(|r| r.board_id == b && !r.deleted) {
        releases.push(json!({"item": {"id": s(r.id), "name": r.name}}));
    }
    vec![
        json!({"dynamicDataKey": "TeamMemberList", "items": team}),
        json!({"dynamicDataKey": "KanbanIterationList", "dependentDynamicDataKey": "KanbanReleaseList", "items": sprints}),
        json!({"dynamicDataKey": "KanbanReleaseList", "items": releases}),
    ]
}

fn rel_ref(m: &Model, id: u64) -> Value {
    let c = m.card(id).cloned().unwrap_or_else(unreachable_card);
    let status = if c.blocked.is_some() {
        "Blocked"
    } else if c.state == CardState::Active {
        "Active"
    } else {
        "Closed"
    };
    json!({"boardId": s(c.board_id), "cardStatus": status, "cardType": c.work_type, "cardUniqueId": s(c.id)})
}

fn rel_card(m: &Model, id: u64, kind: &str) -> Value {
    let mut v = rel_ref(m, id);
    v["relation"] = s(kind);
    v
}

fn comment_json(m: &Model, x: &Comment) -> Value {
    let card = m.card(x.card_id).cloned().unwrap_or_else(unreachable_card);
    json!({"cardType": card.work_type, "cardUniqueId": s(card.id), "commentId": s(x.id), "commentText": x.text,
        "createdBy": x.by, "createdDate": x.created, "createrName": m.user(&x.by).map(User::display_name).unwrap_or_default(),
        "level": if x.reply_to.is_some() { "1" } else { "" }, "responseTo": x.reply_to.map(|p| p.to_string()).unwrap_or_default(),
        "title": card.title()})
}

fn attachment_json(m: &Model, a: &Attachment, content: bool) -> Value {
    let card = m.card(a.card_id).cloned().unwrap_or_else(unreachable_card);
    let mut v = json!({"attachmentId": s(a.id), "attachmentSize": format!("{}b", a.content.len()), "cardType": card.work_type,
        "cardUniqueId": s(card.id), "createdBy": a.by, "createdDate": a.created, "fileName": a.file_name});
    if content {
        v["attachmentContent"] = s(base64::engine::general_purpose::STANDARD.encode(&a.content));
    }
    v
}

fn todo_json(m: &Model, t: &Todo) -> Value {
    let card = m.card(t.card_id).cloned().unwrap_or_else(unreachable_card);
    let (queue, qid) = match card
        .position
        .and_then(|(_, q)| m.queue_info(card.board_id, q))
    {
        Some((l, q, d)) => (format!("{}:{d}", l.name), q.id),
        None => ("Backlog".to_string(), 0),
    };
    let pos = m
        .todos
        .iter()
        .filter(|x| x.card_id == t.card_id)
        .position(|x| x.id == t.id)
        .unwrap_or(0)
        + 1;
    json!({"applicableQueue": queue, "createdBy": t.created_by, "createdDate": t.created, "currentState": t.state,
        "description": null, "dueDate": null, "id": t.id, "itemId": card.id, "itemType": card.work_type, "kanbanQueue": qid,
        "lockStatus": null, "lockedBy": null, "lockedDate": null, "modifiedBy": t.modified_by, "modifiedDate": t.modified,
        "name": t.name, "plannedEffort": 0, "pos": pos, "position": pos, "todoNumber": t.number, "todoOwner": t.owner,
        "workspaceId": card.board_id, "workspaceType": "KanbanProject"})
}

fn activity_json(card: &Card, a: &Activity) -> Value {
    let mut v = json!({"action": a.action, "cardType": card.work_type, "cardUniqueId": s(card.id), "id": s(a.id),
        "modifiedBy": a.by, "newValue": a.new, "oldValue": a.old, "timeStamp": a.at});
    if let Some(f) = &a.field {
        v["fieldName"] = s(f);
    }
    v
}

fn find_release(m: &Model, b: u64, id: &str) -> Result<Release, Out> {
    m.releases
        .iter()
        .find(|r| r.board_id == b && !r.deleted && (r.id.to_string() == id || r.name == id))
        .cloned()
        .ok_or_else(|| bad(format!("Invalid releaseId : {id}")))
}

fn find_sprint(m: &Model, b: u64, id: &str) -> Result<Sprint, Out> {
    m.sprints
        .iter()
        .find(|r| r.board_id == b && !r.deleted && (r.id.to_string() == id || r.name == id))
        .cloned()
        .ok_or_else(|| bad(format!("Invalid sprintId : {id}")))
}

fn release_json(_m: &Model, r: &Release) -> Value {
    let mut v = json!({"createdBy": "admin@example.com", "createdDate": "2024-01-08T09:00:00Z", "currentState": r.state, "id": s(r.id),
        "modifiedBy": "admin@example.com", "modifiedDate": "2024-01-08T09:00:00Z", "name": r.name, "releaseNumber": s(r.number),
        "workspaceId": s(r.board_id), "workspaceType": "KanbanProject"});
    if let Some(d) = &r.start {
        v["startDate"] = s(d);
    }
    if let Some(d) = &r.end {
        v["releaseDate"] = s(d);
    }
    v
}

fn sprint_json(m: &Model, x: &Sprint) -> Value {
    let rel = x
        .release
        .and_then(|r| m.releases.iter().find(|y| y.id == r))
        .map(|r| r.name.clone())
        .unwrap_or_default();
    json!({"capacity": x.capacity, "createdBy": "admin@example.com", "createdDate": "2024-01-08T09:00:00Z", "currentState": x.state,
        "endDate": x.end, "id": s(x.id), "iterationNumber": s(x.number), "modifiedBy": "admin@example.com",
        "modifiedDate": "2024-01-08T09:00:00Z", "name": x.name, "release": rel, "startDate": x.start,
        "workspaceId": s(x.board_id), "workspaceType": "KanbanProject"})
}

/// Field metadata for a card type (a representative subset of the real field list).
pub(crate) fn metadata_fields(key: &str) -> Vec<Value> {
    let f = |name: &str, label: &str, ftype: &str, input: &str, req: &str, ro: &str, item: &str| {
        json!({
        "defaultValue": null, "fieldLabel": label, "fieldName": name, "fieldType": ftype, "inputMethod": input,
        "isDisabled": "NO", "isReadOnly": ro, "isRequired": req, "isUserType": "No", "itemType": item})
    };
    let mut v = vec![
        f(
            "cardNumber",
            "Id",
            "Single-Line Text",
            "System Generated",
            "NO",
            "Yes",
            "String",
        ),
        f(
            "name",
            "Title",
            "Single-Line Text",
            "Manual Entry",
            "Yes",
            "No",
            "String",
        ),
        f(
            "description",
            "Description",
            "Rich Text",
            "Manual Entry",
            "NO",
            "No",
            "String",
        ),
        f(
            "priority",
            "Priority",
            "Collection",
            "Static List",
            "NO",
            "No",
            "String",
        ),
        f(
            "cardSize",
            "Size",
            "Collection",
            "Static List",
            "NO",
            "No",
            "String",
        ),
        f(
            "classOfService",
            "Class Of Service",
            "Collection",
            "Static List",
            "NO",
            "No",
            "String",
        ),
        f(
            "currentOwner",
            "Current Owner",
            "Business Object",
            "Dynamic List",
            "NO",
            "No",
            "String",
        ),
        f(
            "dueDate",
            "Due Date",
            "Date",
            "Manual Entry",
            "NO",
            "No",
            "Date",
        ),
        f(
            "numeric4",
            "Story Points",
            "Integer",
            "Manual Entry",
            "NO",
            "No",
            "Integer",
        ),
    ];
    v[6]["dynamicDataKey"] = s("TeamMemberList");
    v[6]["isUserType"] = s("Yes");
    v[3]["MasterListDetails"] = json!({"MasterListName": "Priority", "MasterListId": 1001, "currentState": "Active",
        "MasterListItems": {"MasterListItem": (["Critical", "High", "Medium", "Low"].iter().map(|p| json!({"itemValue": p, "itemLabel": p, "currentState": "Active"})).collect::<Vec<_>>())}});
    if key == "KanbanDefect" {
        v.push(f(
            "severity",
            "Severity",
            "Collection",
            "Static List",
            "NO",
            "No",
            "String",
        ));
        v.push(f(
            "rootCause",
            "Root Cause",
            "Collection",
            "Static List",
            "NO",
            "No",
            "String",
        ));
    }
    v
}

/// Label for a field name when `isLabel=Y`.
fn label(name: &str) -> String {
    match name {
        "id" => "Unique ID",
        "cardNumber" => "Id",
        "name" => "Title",
        "priority" => "Priority",
        "cardSize" => "Size",
        "classOfService" => "Class Of Service",
        "currentOwner" => "Current Owner",
        "currentQueue" => "Current Column",
        "workType" => "Work Type",
        "severity" => "Severity",
        "currentState" => "Status",
        "numeric4" => "Story Points",
        other => other,
    }
    .to_string()
}

/// Keeps only `fields` (all when empty); with `labels`, keys become field labels.
fn project(v: Value, fields: &[String], labels: bool) -> Value {
    if fields.is_empty() && !labels {
        return v;
    }
    let Value::Object(o) = v else { return v };
    let mut out = Map::new();
    for (k, val) in o {
        let by_label = label(&k);
        let wanted =
            fields.is_empty() || fields.iter().any(|f| f == &k || (labels && f == &by_label));
        if wanted {
            out.insert(if labels { by_label } else { k }, val);
        }
    }
    Value::Object(out)
}

/// `a::=::b AND c::=::d` (old filter syntax) → conditions (AND only).
fn old_filter(f: &str) -> Vec<(String, String)> {
    f.split(" AND ")
        .filter_map(|t| {
            let parts: Vec<&str> = t.split("::").collect();
            (parts.len() == 3).then(|| (parts[0].trim().to_string(), parts[2].trim().to_string()))
        })
        .collect()
}

/// Splits on commas that are not inside braces.
fn split_top(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut depth, mut cur) = (0i32, String::new());
    for ch in s.chars() {
        match ch {
            '{' => {
                depth += 1;
                cur.push(ch)
            }
            '}' => {
                depth -= 1;
                cur.push(ch)
            }
            ',' if depth == 0 => out.push(std::mem::take(&mut cur)),
            _ => cur.push(ch),
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur);
    }
    out.into_iter()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

fn strip_braces(s: &str) -> &str {
    let s = s.trim();
    s.strip_prefix('{')
        .and_then(|x| x.strip_suffix('}'))
        .unwrap_or(s)
}

/// advanceFilter: `f:{$op:v}, $OR:{f:{$op:v},...}`; comma = AND.
fn adv_match(v: &Value, filter: &str) -> bool {
    split_top(filter).iter().all(|term| term_match(v, term))
}

fn term_match(v: &Value, term: &str) -> bool {
    let Some((field, rest)) = term.split_once(':') else {
        return true;
    };
    let field = field.trim();
    if field.eq_ignore_ascii_case("$OR") {
        return split_top(strip_braces(rest))
            .iter()
            .any(|t| term_match(v, t));
    }
    let inner = strip_braces(rest);
    let Some((op, want)) = inner.split_once(':') else {
        return true;
    };
    let want = want.trim().to_ascii_lowercase();
    let have = v
        .get(field)
        .map(value_text)
        .unwrap_or_default()
        .to_ascii_lowercase();
    match op.trim() {
        "$eq" => have == want,
        "$neq" => have != want,
        "$lkw" => have.contains(&want),
        "$nlkw" => !have.contains(&want),
        "$start" => have.starts_with(&want),
        "$end" => have.ends_with(&want),
        "$gt" => cmp(&have, &want).is_gt(),
        "$gte" => cmp(&have, &want).is_ge(),
        "$lt" => cmp(&have, &want).is_lt(),
        "$lte" => cmp(&have, &want).is_le(),
        _ => false,
    }
}

fn cmp(a: &str, b: &str) -> std::cmp::Ordering {
    match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => x.partial_cmp(&y).unwrap_or(std::cmp::Ordering::Equal),
        _ => a.cmp(b),
    }
}

fn card_list(c: &Ctx, b: u64) -> Result<Vec<Value>, String> {
    let m = &*c.m;
    let search = c.q1("search");
    let global = c.q1("globalSearch").as_deref() == Some("Y");
    let adv = c.q1("advanceFilter");
    let types = c.qa("cardType");
    let deleted = c.q1("deletedCards").as_deref() == Some("Y");
    let old = old_filter(&c.q1("filter").unwrap_or_default());
    let labels = c.q1("isLabel").as_deref() == Some("Y");
    if labels && search.is_some() {
        return Err("isLabel is not supported together with search.".into());
    }
    let mut out = Vec::new();
    for card in &m.cards {
        let on_board = card.board_id == b || (global && search.is_some());
        let visible = card.is_live()
            || (deleted
                && adv.is_some()
                && matches!(card.state, CardState::Deleted | CardState::Archived));
        if !on_board || !visible {
            continue;
        }
        let v = m.card_json(card.id);
        if adv.is_some()
            && !types.is_empty()
            && !types
                .iter()
                .any(|t| t.eq_ignore_ascii_case(&card.work_type))
        {
            continue;
        }
        if let Some(f) = &adv {
            if !adv_match(&v, f) {
                continue;
            }
        }
        if !old.iter().all(|(k, want)| {
            v.get(k)
                .map(value_text)
                .is_some_and(|x| x.eq_ignore_ascii_case(want))
        }) {
            continue;
        }
        if let Some(q) = &search {
            let hit = match q.split_once(':') {
                Some((k, want)) => {
                    let key = match k.to_ascii_lowercase().as_str() {
                        "priority" => "priority",
                        "size" => "cardSize",
                        "classofservice" => "classOfService",
                        "currentqueue" => "currentQueue",
                        "currentstate" => "currentState",
                        "currentowner" => "currentOwner",
                        "title" => "name",
                        "id" => "cardNumber",
                        _ => "",
                    };
                    v.get(key)
                        .map(value_text)
                        .is_some_and(|x| x.eq_ignore_ascii_case(want.trim()))
                }
                None => {
                    let ql = q.to_ascii_lowercase();
                    ["name", "cardNumber", "description", "id", "tags"]
                        .iter()
                        .any(|k| {
                            v.get(*k)
                                .map(value_text)
                                .is_some_and(|x| x.to_ascii_lowercase().contains(&ql))
                        })
                        || m.comments.iter().any(|x| {
                            x.card_id == card.id && x.text.to_ascii_lowercase().contains(&ql)
                        })
                }
            };
            if !hit {
                continue;
            }
        }
        out.push(project(v, &c.qa("fieldName"), labels));
    }
    Ok(out)
}
