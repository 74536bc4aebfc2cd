//! SOAP 1.1/1.2 under `/axis2/services/<Service>[.<Port>]`: WS-Security UsernameToken,
//! KanbanCardService (27 operations), MetadataService (3), TeamMemberService (9).

use std::collections::BTreeMap;

use axum::http::{HeaderMap, Method};
use base64::Engine as _;
use quick_xml::events::Event;
use serde_json::{Map, Value};
use sha1::Digest as _;

use crate::model::*;
use crate::ops::value_text;
use crate::util::esc;
use crate::{Inner, Reply};

const SOAP11: &str = "http://schemas.xmlsoap.org/soap/envelope/";
const SOAP12: &str = "http://www.w3.org/2003/05/soap-envelope";
const WSSE: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
const KCS_NS: &str = "http://kanbancard.webservices.kanban.app.digite.com/";
const META_NS: &str = "http://iform.webservices.kanban.app.digite.com/";
const TEAM_NS: &str = "http://team.webservices.kanban.app.digite.com/";

/// A parsed XML element (namespace URI, local name, attributes by local name, text, children).
#[derive(Debug, Clone, Default)]
pub(crate) struct Node {
    ns: String,
    name: String,
    attrs: BTreeMap<String, String>,
    text: String,
    children: Vec<Node>,
}

impl Node {
    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }
    fn all(&self, name: &str) -> Vec<&Node> {
        self.children.iter().filter(|c| c.name == name).collect()
    }
    fn text_of(&self, name: &str) -> String {
        self.child(name)
            .map(|c| c.text.trim().to_string())
            .unwrap_or_default()
    }
    fn texts(&self, name: &str) -> Vec<String> {
        self.all(name)
            .iter()
            .map(|c| c.text.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect()
    }
}

fn parse(xml: &str) -> Result<Node, String> {
    let mut reader = quick_xml::NsReader::from_str(xml);
    let mut stack: Vec<Node> = Vec::new();
    let mut root = None;
    loop {
        let (res, ev) = reader.read_resolved_event().map_err(|e| e.to_string())?;
        let ns = match res {
            quick_xml::name::ResolveResult::Bound(n) => {
                String::from_utf8_lossy(n.as_ref()).into_owned()
            }
            _ => String::new(),
        };
        match ev {
            Event::Start(e) => {
                stack.push(node_of(&e, ns)?);
            }
            Event::Empty(e) => {
                let n = node_of(&e, ns)?;
                match stack.last_mut() {
                    Some(p) => p.children.push(n),
                    None => root = Some(n),
                }
            }
            Event::End(_) => {
                let n = stack.pop().ok_or("unbalanced XML")?;
                match stack.last_mut() {
                    Some(p) => p.children.push(n),
                    None => root = Some(n),
                }
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t.unescape().map_err(|e| e.to_string())?);
                }
            }
            Event::CData(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    root.ok_or_else(|| "no root element".to_string())
}

fn node_of(e: &quick_xml::events::BytesStart, ns: String) -> Result<Node, String> {
    let mut n = Node {
        ns,
        name: String::from_utf8_lossy(e.local_name().as_ref()).into_owned(),
        ..Default::default()
    };
    for a in e.attributes() {
        let a = a.map_err(|e| e.to_string())?;
        let key = String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned();
        if a.key.as_ref().starts_with(b"xmlns") {
            continue;
        }
        let v = a.unescape_value().map_err(|e| e.to_string())?.into_owned();
        n.attrs.insert(key, v);
    }
    Ok(n)
}

#[derive(Clone, Copy, PartialEq)]
enum Ver {
    V11,
    V12,
}

fn envelope(v: Ver, body: &str) -> String {
    match v {
        Ver::V11 => format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="{SOAP11}"><soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>"#
        ),
        Ver::V12 => format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="{SOAP12}"><soap:Body>{body}</soap:Body></soap:Envelope>"#
        ),
    }
}

fn content_type(v: Ver) -> String {
    match v {
        Ver::V11 => "text/xml; charset=UTF-8".into(),
        Ver::V12 => "application/soap+xml; charset=UTF-8".into(),
    }
}

/// A fault: `client` = sender's fault; `subcode` a WS-Security code such as `FailedAuthentication`.
fn fault(v: Ver, client: bool, subcode: Option<&str>, reason: &str) -> String {
    let reason = esc(reason);
    match v {
        Ver::V11 => {
            let code = match subcode {
                Some(sc) => format!(r#"<faultcode xmlns:wsse="{WSSE}">wsse:{sc}</faultcode>"#),
                None => format!(
                    "<faultcode>soapenv:{}</faultcode>",
                    if client { "Client" } else { "Server" }
                ),
            };
            envelope(
                v,
                &format!(
                    "<soapenv:Fault>{code}<faultstring>{reason}</faultstring></soapenv:Fault>"
                ),
            )
        }
        Ver::V12 => {
            let sub = subcode
                .map(|sc| format!(r#"<soap:Subcode><soap:Value xmlns:wsse="{WSSE}">wsse:{sc}</soap:Value></soap:Subcode>"#))
                .unwrap_or_default();
            envelope(
                v,
                &format!(
                    r#"<soap:Fault><soap:Code><soap:Value>soap:{}</soap:Value>{sub}</soap:Code><soap:Reason><soap:Text xml:lang="en">{reason}</soap:Text></soap:Reason></soap:Fault>"#,
                    if client { "Sender" } else { "Receiver" }
                ),
            )
        }
    }
}

pub(crate) fn handle(
    inner: &mut Inner,
    method: &Method,
    path: &str,
    _query: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Reply {
    let rest = &path["/axis2/services/".len()..];
    let service = rest.split(['.', '/']).next().unwrap_or("").to_string();
    let ct = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut ver = if ct.contains("application/soap+xml") {
        Ver::V12
    } else {
        Ver::V11
    };
    let reply = |status: u16, ver: Ver, body: String, served: Option<&str>| Reply {
        status,
        content_type: content_type(ver),
        body,
        headers: Vec::new(),
        served: served.map(|op| (service.clone(), op.to_string())),
    };
    let ns = match service.as_str() {
        "KanbanCardService" => KCS_NS,
        "MetadataService" => META_NS,
        "TeamMemberService" => TEAM_NS,
        _ => {
            return Reply {
                status: 404,
                content_type: "text/plain".into(),
                body: format!("The service {service} cannot be found"),
                headers: Vec::new(),
                served: None,
            }
        }
    };
    if method != Method::POST {
        return reply(
            405,
            ver,
            fault(ver, true, None, "SOAP requests must use POST"),
            None,
        );
    }
    let text = String::from_utf8_lossy(body);
    let env = match parse(&text) {
        Ok(e) => e,
        Err(e) => {
            return reply(
                500,
                ver,
                fault(ver, true, None, &format!("Malformed XML: {e}")),
                None,
            )
        }
    };
    ver = match env.ns.as_str() {
        SOAP12 => Ver::V12,
        SOAP11 => Ver::V11,
        _ => {
            return reply(
                500,
                ver,
                fault(ver, true, None, "Not a SOAP envelope"),
                None,
            )
        }
    };
    // --- WS-Security UsernameToken
    let token = env
        .child("Header")
        .and_then(|h| h.child("Security"))
        .and_then(|s| s.child("UsernameToken"));
    let Some(token) = token else {
        return reply(
            500,
            ver,
            fault(
                ver,
                true,
                Some("InvalidSecurity"),
                "Missing wsse:Security header with a UsernameToken",
            ),
            None,
        );
    };
    let username = token.text_of("Username");
    let password = token.child("Password");
    let user = inner.model.user(&username).filter(|u| u.active).cloned();
    let authentic = match (&user, password) {
        (Some(u), Some(p)) => {
            let ptype = p.attrs.get("Type").cloned().unwrap_or_default();
            if ptype.ends_with("#PasswordDigest") {
                let nonce = base64::engine::general_purpose::STANDARD
                    .decode(token.text_of("Nonce"))
                    .unwrap_or_default();
                let mut h = sha1::Sha1::new();
                h.update(&nonce);
                h.update(token.text_of("Created").as_bytes());
                h.update(u.password.as_bytes());
                base64::engine::general_purpose::STANDARD.encode(h.finalize()) == p.text.trim()
            } else {
                p.text == u.password
            }
        }
        _ => false,
    };
    let Some(user) = user.filter(|u| authentic && u.integration_user) else {
        return reply(
            500,
            ver,
            fault(
                ver,
                true,
                Some("FailedAuthentication"),
                "The security token could not be authenticated or authorized",
            ),
            None,
        );
    };
    if let Err(wait) = inner.rate_check(&user.login) {
        // Axis2 sends every fault with HTTP 500; the limit is only in the fault's reason.
        let mut r = reply(
            500,
            ver,
            fault(
                ver,
                true,
                None,
                &format!(
                    "Rate limit exceeded: at most {} web service calls per minute.",
                    inner.config.rate_limit_per_minute.unwrap_or(0)
                ),
            ),
            None,
        );
        r.headers.push(("retry-after", wait.to_string()));
        return r;
    }
    let Some(payload) = env.child("Body").and_then(|b| b.children.first()) else {
        return reply(500, ver, fault(ver, true, None, "Empty SOAP Body"), None);
    };
    if payload.ns != ns {
        return reply(
            500,
            ver,
            fault(
                ver,
                true,
                None,
                &format!("Unexpected namespace {} for {service}", payload.ns),
            ),
            None,
        );
    }
    let op = match payload.name.as_str() {
        "addCardDetails" => "addCard".to_string(),
        "TeamsForProjects_Input" => "getTeamsForProjects".to_string(),
        other => other.strip_suffix("Input").unwrap_or(other).to_string(),
    };
    let actor = match payload.text_of("userLoginId") {
        l if l.is_empty() => user.login.clone(),
        l => match inner.model.user(&l) {
            Some(u) if u.active => u.login.clone(),
            _ => {
                return reply(
                    500,
                    ver,
                    fault(ver, true, None, &format!("Invalid userLoginId : {l}")),
                    Some(&op),
                )
            }
        },
    };
    let result = match service.as_str() {
        "KanbanCardService" => kcs(&mut inner.model, &op, payload, &actor),
        "MetadataService" => meta(&inner.model, &op, payload),
        _ => team(&mut inner.model, &op, payload, &actor),
    };
    let response_name = if op == "getTeamsForProjects" {
        "getTeamsResponse".to_string()
    } else {
        format!("{op}Response")
    };
    match result {
        Ok(inner_xml) => reply(200, ver, envelope(ver, &format!(r#"<ns:{response_name} xmlns:ns="{ns}">{inner_xml}</ns:{response_name}>"#)), Some(&op)),
        Err(Failure::Unknown) => reply(500, ver, fault(ver, true, None, &format!("The endpoint reference (EPR) for the Operation not found is {path} and the WSA Action = urn:{op}")), None),
        Err(Failure::Msg(m)) => reply(500, ver, fault(ver, true, None, &m), Some(&op)),
    }
}

enum Failure {
    Unknown,
    Msg(String),
}

impl From<String> for Failure {
    fn from(s: String) -> Self {
        Failure::Msg(s)
    }
}

type Out = Result<String, Failure>;

fn project_id(m: &Model, p: &Node) -> Result<u64, Failure> {
    let raw = p.text_of("projectId");
    raw.parse::<u64>()
        .ok()
        .filter(|id| m.board(*id).is_some())
        .ok_or_else(|| Failure::Msg(format!("No workspace found for the project id : {raw}")))
}

fn fields_of(n: Option<&Node>) -> Map<String, Value> {
    let mut map = Map::new();
    if let Some(f) = n {
        for field in f.all("field") {
            map.insert(field.text_of("name"), Value::String(field.text_of("value")));
        }
    }
    map
}

/// A card as XML: attributes for identity, one child element per field.
fn card_xml(m: &Model, id: u64, only: &[String]) -> String {
    let v = m.card_json(id);
    let mut out = String::new();
    let g = |k: &str| v.get(k).map(value_text).unwrap_or_default();
    out.push_str(&format!(
        r#"<ns:Card ns:cardId="{}" ns:cardSequenceNumber="{}" ns:cardType="{}">"#,
        esc(&g("id")),
        esc(&g("cardNumber")),
        esc(&g("workType"))
    ));
    if let Value::Object(o) = &v {
        for (k, val) in o {
            if !only.is_empty() && !only.iter().any(|f| f == k) {
                continue;
            }
            if k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                out.push_str(&format!("<ns:{k}>{}</ns:{k}>", esc(&value_text(val))));
            }
        }
    }
    out.push_str("</ns:Card>");
    out
}

fn status(ok: bool, msg: &str) -> String {
    format!(
        "<ns:Status>{}</ns:Status><ns:StatusMsg>{}</ns:StatusMsg>",
        if ok { "Success" } else { "Failed" },
        esc(msg)
    )
}

fn item_result(m: &Model, r: Result<u64, String>, t: &str, u: &str, ok_msg: &str) -> String {
    match r {
        Ok(id) => format!(
            "<ns:Result>{}{}</ns:Result>",
            card_xml(m, id, &[]),
            status(true, ok_msg)
        ),
        Err(e) => format!(
            r#"<ns:Result ns:cardType="{}" ns:cardUniqueId="{}">{}</ns:Result>"#,
            esc(t),
            esc(u),
            status(false, &e)
        ),
    }
}

fn kcs(m: &mut Model, op: &str, p: &Node, actor: &str) -> Out {
    let b = project_id(m, p)?;
    let t = p.text_of("cardType");
    let u = p.text_of("cardUniqueId");
    let resolve = |m: &Model| m.resolve(Some(b), &t, &u).map_err(Failure::Msg);
    let single =
        |m: &Model, id: u64, msg: &str| format!("{}{}", card_xml(m, id, &[]), status(true, msg));
    match op {
        "addCard" => {
            let id = m.create_card(b, &t, &fields_of(p.child("fields")), actor)?;
            Ok(single(m, id, "Card added successfully"))
        }
        "getCard" => {
            let id = resolve(m)?;
            Ok(card_xml(m, id, &[]))
        }
        "getCardDetails" => {
            let id = resolve(m)?;
            Ok(card_xml(m, id, &p.texts("fieldName")))
        }
        "updateCard" => {
            let id = resolve(m)?;
            m.update_card(id, &fields_of(p.child("fields")), actor)?;
            Ok(single(m, id, "Card updated successfully"))
        }
        "moveCardOnBoard" => {
            let id = resolve(m)?;
            m.move_on_board(
                id,
                p.text_of("toSwimId").parse().unwrap_or(0),
                p.text_of("toQkeyId").parse().unwrap_or(0),
                actor,
            )?;
            Ok(single(m, id, "Card moved successfully"))
        }
        "moveCardtoReady" => {
            let id = resolve(m)?;
            m.move_to_ready(
                id,
                p.text_of("swimId").parse().unwrap_or(0),
                p.text_of("queueId").parse().unwrap_or(0),
                actor,
            )?;
            Ok(single(m, id, "Card Moved successfully"))
        }
        "moveCardToBacklog" => {
            let id = resolve(m)?;
            m.move_to_backlog(id, actor)?;
            Ok(single(m, id, "Card moved to Backlog successfully"))
        }
        "blockCard" => {
            let id = resolve(m)?;
            m.flag(
                id,
                "block",
                &p.text_of("flagReason"),
                &p.text_of("flagComment"),
                actor,
            )?;
            Ok(single(m, id, "Card blocked successfully"))
        }
        "unblockCard" => {
            let id = resolve(m)?;
            m.unflag(id, "block", actor)?;
            Ok(single(m, id, "Card unblocked successfully"))
        }
        "archiveCard" => {
            let id = resolve(m)?;
            m.archive(id, actor)?;
            Ok(single(m, id, "Card Archived successfully"))
        }
        "deleteCard" => {
            let id = resolve(m)?;
            m.delete_card(id, actor)?;
            Ok(status(true, "Card deleted successfully"))
        }
        "discardAbortCard" => {
            let id = resolve(m)?;
            m.discard(
                id,
                &p.text_of("discardAbortReason"),
                &p.text_of("discardAbortComment"),
                actor,
            )?;
            Ok(single(m, id, "Card discard/abort successfully"))
        }
        "convertCard" => {
            let id = resolve(m)?;
            let new = m.convert(
                id,
                &p.text_of("destionWorkType"),
                p.text_of("breakRelation").eq_ignore_ascii_case("true"),
                actor,
            )?;
            Ok(single(m, new, "Card converted successfully"))
        }
        "transferCard" => {
            let id = resolve(m)?;
            let new = m.transfer(
                id,
                p.text_of("destinationBoardId").parse().unwrap_or(0),
                p.text_of("destinationSwimId").parse().ok(),
                p.text_of("destinationQueueId").parse().ok(),
                actor,
            )?;
            Ok(single(m, new, "Card transferred successfully"))
        }
        "getCardsByFilter" | "getBoardCards" => {
            let types = if op == "getBoardCards" {
                p.texts("cardType")
            } else {
                vec![t.clone()]
                    .into_iter()
                    .filter(|x| !x.is_empty())
                    .collect()
            };
            let search = p.text_of("search").to_ascii_lowercase();
            let fields = p.texts("fieldName");
            let mut out = String::from("<ns:Cards>");
            for c in m.board_cards(b) {
                if !types.is_empty()
                    && !types
                        .iter()
                        .any(|x| m.card_type(b, x).is_some_and(|ct| ct.key == c.work_type))
                {
                    continue;
                }
                if !search.is_empty()
                    && !c.title().to_ascii_lowercase().contains(&search)
                    && !c.number.eq_ignore_ascii_case(&search)
                {
                    continue;
                }
                if op == "getBoardCards" {
                    out.push_str(&card_xml(m, c.id, &fields));
                } else {
                    out.push_str(&format!(
                        r#"<ns:Card ns:cardId="{}" ns:cardSequenceNumber="{}" ns:name="{}"/>"#,
                        c.id,
                        esc(&c.number),
                        esc(c.title())
                    ));
                }
            }
            out.push_str("</ns:Cards>");
            Ok(out)
        }
        "getCardsModifiedSincedate" => {
            let (from, to) = (p.text_of("startDate"), p.text_of("endDate"));
            let mut out = String::from("<ns:Cards>");
            for c in m.cards.iter().filter(|c| {
                c.board_id == b
                    && (t.is_empty() || c.work_type.eq_ignore_ascii_case(&t))
                    && c.modified >= from
                    && (to.is_empty() || c.modified <= to)
            }) {
                out.push_str(&format!(r#"<ns:Card ns:cardId="{}" ns:cardSequenceNumber="{}" ns:createdDate="{}" ns:modifiedDate="{}"/>"#, c.id, esc(&c.number), c.created, c.modified));
            }
            out.push_str("</ns:Cards>");
            Ok(out)
        }
        "getSmartLaneDetails" => {
            let mut out = String::from("<ns:SwimLanes>");
            for l in m.board(b).map(|x| x.lanes.clone()).unwrap_or_default() {
                out.push_str(&format!(
                    r#"<ns:SwimLane ns:laneId="{}" ns:laneName="{}">"#,
                    l.id,
                    esc(&l.name)
                ));
                fn walk(qs: &[Queue], prefix: &str, out: &mut String) {
                    for q in qs {
                        let d = if prefix.is_empty() {
                            q.name.clone()
                        } else {
                            format!("{prefix}#{}", q.name)
                        };
                        out.push_str(&format!(r#"<ns:Queue ns:queueId="{}" ns:queueName="{}" ns:displayName="{}" ns:isParent="{}" ns:wip="{}"/>"#,
                            q.id, esc(&q.name), esc(&d), if q.children.is_empty() { "N" } else { "Y" }, q.wip));
                        walk(&q.children, &d, out);
                    }
                }
                walk(&l.queues, "", &mut out);
                out.push_str("</ns:SwimLane>");
            }
            out.push_str("</ns:SwimLanes>");
            Ok(out)
        }
        "addMultipleCard"
        | "updateMultipleCard"
        | "archiveMultipleCard"
        | "getMultipleCard"
        | "moveMultipleCardToReady"
        | "moveMultipleCardOnBoard"
        | "moveMultipleCardToBacklog"
        | "deleteMultipleCard"
        | "discardAbortMultipleCard" => {
            let items: Vec<Node> = if op == "addMultipleCard" || op == "updateMultipleCard" {
                p.all("card")
            } else {
                p.all("cardDetails")
            }
            .into_iter()
            .cloned()
            .collect();
            let fields = p.texts("fieldName");
            let mut out = String::from("<ns:Results>");
            for it in items {
                let (t, u) = (it.text_of("cardType"), it.text_of("cardUniqueId"));
                if op == "addMultipleCard" {
                    let r = m.create_card(b, &t, &fields_of(it.child("fields")), actor);
                    let s = item_result(m, r, &t, &u, "Card added successfully");
                    out.push_str(&s);
                    continue;
                }
                let r = m.resolve(Some(b), &t, &u);
                if op == "getMultipleCard" {
                    match r {
                        Ok(id) => out.push_str(&card_xml(m, id, &fields)),
                        Err(e) => out.push_str(&format!(
                            r#"<ns:Result ns:cardType="{}" ns:cardUniqueId="{}">{}</ns:Result>"#,
                            esc(&t),
                            esc(&u),
                            status(false, &e)
                        )),
                    }
                    continue;
                }
                let (r, msg) = match op {
                    "updateMultipleCard" => (
                        r.and_then(|id| {
                            m.update_card(id, &fields_of(it.child("fields")), actor)
                                .map(|_| id)
                        }),
                        "Card updated successfully",
                    ),
                    "archiveMultipleCard" => (
                        r.and_then(|id| m.archive(id, actor).map(|_| id)),
                        "Card Archived successfully",
                    ),
                    "moveMultipleCardToReady" => (
                        r.and_then(|id| {
                            m.move_to_ready(
                                id,
                                it.text_of("swimId").parse().unwrap_or(0),
                                it.text_of("queueId").parse().unwrap_or(0),
                                actor,
                            )
                            .map(|_| id)
                        }),
                        "Card Moved successfully",
                    ),
                    "moveMultipleCardOnBoard" => (
                        r.and_then(|id| {
                            m.move_on_board(
                                id,
                                it.text_of("toSwimId").parse().unwrap_or(0),
                                it.text_of("toQkeyId").parse().unwrap_or(0),
                                actor,
                            )
                            .map(|_| id)
                        }),
                        "Card moved successfully",
                    ),
                    "moveMultipleCardToBacklog" => (
                        r.and_then(|id| m.move_to_backlog(id, actor).map(|_| id)),
                        "Card moved to Backlog successfully",
                    ),
                    "deleteMultipleCard" => (
                        r.and_then(|id| m.delete_card(id, actor).map(|_| id)),
                        "Card deleted successfully",
                    ),
                    _ => (
                        r.and_then(|id| {
                            m.discard(
                                id,
                                &it.text_of("discardAbortReason"),
                                &it.text_of("discardAbortComment"),
                                actor,
                            )
                            .map(|_| id)
                        }),
                        "Card discard/abort successfully",
                    ),
                };
                let s = item_result(m, r, &t, &u, msg);
                out.push_str(&s);
            }
            out.push_str("</ns:Results>");
            Ok(out)
        }
        _ => Err(Failure::Unknown),
    }
}

fn meta(m: &Model, op: &str, p: &Node) -> Out {
    let b = project_id(m, p)?;
    match op {
        "getCardListForProject" => {
            let mut out = String::from("<ns:CardTypes>");
            for t in m.board(b).map(|x| x.card_types.clone()).unwrap_or_default() {
                out.push_str(&format!(
                    r#"<ns:Card ns:CardCode="{}" ns:CardType="{}" ns:TypeName="{}"/>"#,
                    esc(&t.code),
                    esc(&t.key),
                    esc(&t.name)
                ));
            }
            out.push_str("</ns:CardTypes>");
            Ok(out)
        }
        "getCardMetadata" => {
            let it = p.text_of("itemType");
            let t = m
                .card_type(b, &it)
                .cloned()
                .ok_or_else(|| Failure::Msg(format!("Invalid cardType defined : {it}")))?;
            let mut out = format!(
                r#"<ns:CardMetadataDetails ns:cardType="{}" ns:cardName="{}"><ns:CardFieldDetails>"#,
                esc(&t.key),
                esc(&t.name)
            );
            for f in crate::rest::metadata_fields(&t.key) {
                let g = |k: &str| f.get(k).map(value_text).unwrap_or_default();
                out.push_str(&format!(r#"<ns:field ns:fieldName="{}" ns:fieldLabel="{}" ns:fieldType="{}" ns:inputMethod="{}" ns:isRequired="{}"/>"#,
                    esc(&g("fieldName")), esc(&g("fieldLabel")), esc(&g("fieldType")), esc(&g("inputMethod")), esc(&g("isRequired"))));
            }
            out.push_str("</ns:CardFieldDetails></ns:CardMetadataDetails>");
            Ok(out)
        }
        "getDynamicLOVData" => {
            let key = p.text_of("dckKey");
            let mut out = String::from("<ns:Items>");
            let board = m.board(b).cloned();
            let mut items: Vec<(String, String)> = vec![("0".into(), "Not Yet Identified".into())];
            match key.as_str() {
                "TeamMemberList" => {
                    items = vec![("Unassigned".into(), "Unassigned".into())];
                    for (l, _) in board.map(|x| x.team).unwrap_or_default() {
                        if let Some(u) = m.user(&l) {
                            items.push((u.login.clone(), u.display_name()));
                        }
                    }
                }
                "KanbanReleaseList" => items.extend(
                    m.releases
                        .iter()
                        .filter(|r| r.board_id == b && !r.deleted)
                        .map(|r| (r.id.to_string(), r.name.clone())),
                ),
                "KanbanIterationList" => items.extend(
                    m.sprints
                        .iter()
                        .filter(|r| r.board_id == b && !r.deleted)
                        .map(|r| (r.id.to_string(), r.name.clone())),
                ),
                other => return Err(Failure::Msg(format!("Invalid dckKey : {other}"))),
            }
            for (v, l) in items {
                out.push_str(&format!(
                    r#"<ns:Item ns:itemValue="{}" ns:itemLabel="{}"/>"#,
                    esc(&v),
                    esc(&l)
                ));
            }
            out.push_str("</ns:Items>");
            Ok(out)
        }
        _ => Err(Failure::Unknown),
    }
}

fn user_xml(u: &User) -> String {
    format!(
        r#"<ns:User ns:id="{}" ns:loginId="{}" ns:firstName="{}" ns:lastName="{}" ns:emailAddress="{}" ns:primaryRole="{}"/>"#,
        u.id,
        esc(&u.login),
        esc(&u.first_name),
        esc(&u.last_name),
        esc(&u.email),
        esc(&u.primary_role)
    )
}

fn team(m: &mut Model, op: &str, p: &Node, actor: &str) -> Out {
    let members = |m: &Model, b: u64| -> String {
        crate::rest::team_json(m, b).iter().map(|t| {
            let g = |k: &str| t.get(k).map(value_text).unwrap_or_default();
            format!(r#"<ns:TeamMember ns:firstName="{}" ns:id="{}" ns:lastName="{}" ns:primaryRole="{}" ns:userLoginId="{}"/>"#,
                esc(&g("firstName")), esc(&g("id")), esc(&g("lastName")), esc(&g("primaryRole")), esc(&g("loginId")))
        }).collect()
    };
    match op {
        "getTeamsForProjects" => {
            let mut out = String::from("<ns:Teams>");
            for b in m
                .boards
                .iter()
                .filter(|b| b.team.iter().any(|(l, _)| l.eq_ignore_ascii_case(actor)))
            {
                out.push_str(&format!(
                    r#"<ns:Team ns:projectId="{}">{}</ns:Team>"#,
                    b.id,
                    members(m, b.id)
                ));
            }
            out.push_str("</ns:Teams>");
            Ok(out)
        }
        "getTeamMembersForProject" => {
            let b = project_id(m, p)?;
            Ok(format!(
                r#"<ns:Team ns:projectId="{b}">{}</ns:Team>"#,
                members(m, b)
            ))
        }
        "getAllActiveUsersInOrg" => Ok(format!(
            "<ns:Users>{}</ns:Users>",
            m.users
                .iter()
                .filter(|u| u.active)
                .map(user_xml)
                .collect::<String>()
        )),
        "getAllUsersLastLogin" => {
            let wanted = p.texts("loginId");
            let mut out = String::from("<ns:Users>");
            for u in m.users.iter().filter(|u| {
                u.active
                    && (wanted.is_empty()
                        || wanted.iter().any(|w| w.eq_ignore_ascii_case(&u.login)))
            }) {
                out.push_str(&format!(r#"<ns:User ns:loginId="{}" ns:userName="{}" ns:emailAddress="{}" ns:lastLoginDate="2024-01-08T09:00:00Z"/>"#,
                    esc(&u.login), esc(&u.display_name()), esc(&u.email)));
            }
            out.push_str("</ns:Users>");
            Ok(out)
        }
        "adduser" => {
            let g = |k: &str| p.text_of(k);
            let id = crate::rest::add_user(
                m,
                &g("loginId"),
                &g("emailId"),
                &g("firstName"),
                &g("lastName"),
                &g("primaryRole"),
                &g("timeZone"),
            )?;
            let u = m
                .users
                .iter()
                .find(|u| u.id == id)
                .cloned()
                .ok_or(Failure::Unknown)?;
            Ok(format!(
                "{}{}",
                user_xml(&u),
                status(true, "User Added Successfully")
            ))
        }
        "deleteUser" => {
            let login = crate::rest::delete_user(m, &p.text_of("userId"), actor)?;
            Ok(format!(
                r#"<ns:User ns:loginId="{}"/>{}"#,
                esc(&login),
                status(true, "User Deleted Successfully")
            ))
        }
        "addTeamMember" => {
            let b = project_id(m, p)?;
            let mut out = String::from("<ns:Results>");
            for tm in p.all("teamMember") {
                let (login, role) = (tm.text_of("userLoginId"), tm.text_of("role"));
                let role = if role.is_empty() {
                    "Member".to_string()
                } else {
                    role
                };
                let r = crate::rest::add_team_member(m, b, &login, &role);
                out.push_str(&format!(
                    r#"<ns:Result ns:userLoginId="{}" ns:role="{}">{}</ns:Result>"#,
                    esc(&login),
                    esc(&role),
                    match r {
                        Ok(()) => status(true, "teamMember Added Successfuly"),
                        Err(e) => status(false, &e),
                    }
                ));
            }
            out.push_str("</ns:Results>");
            Ok(out)
        }
        "getUserData" | "getUserDataFromEmailId" => {
            let key = if op == "getUserData" {
                p.text_of("userId")
            } else {
                p.text_of("emailId")
            };
            let u = m
                .users
                .iter()
                .find(|u| {
                    u.active
                        && (u.id.to_string() == key
                            || u.login.eq_ignore_ascii_case(&key)
                            || u.email.eq_ignore_ascii_case(&key))
                })
                .cloned()
                .ok_or_else(|| Failure::Msg(format!("No user found for {key}")))?;
            Ok(user_xml(&u))
        }
        _ => Err(Failure::Unknown),
    }
}
