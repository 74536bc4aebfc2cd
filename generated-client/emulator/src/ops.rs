//! Card operations shared by REST and SOAP, and the JSON rendering of cards.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::model::*;

fn display_owner(m: &Model, login: &str) -> String {
    m.user(login)
        .map(User::display_name)
        .unwrap_or_else(|| "Unassigned".into())
}

fn ensure_active(c: &Card, what: &str) -> Result<(), String> {
    if c.state != CardState::Active || c.blocked.is_some() {
        return Err(format!("Couldn't {what} the card as card is not active."));
    }
    Ok(())
}

impl Model {
    /// Creates a card in the Backlog of `board` (REST addCard, SOAP addCard).
    pub fn create_card(
        &mut self,
        board: u64,
        work_type: &str,
        fields: &Map<String, Value>,
        actor: &str,
    ) -> Result<u64, String> {
        let key = self
            .card_type(board, work_type)
            .map(|t| t.key.clone())
            .ok_or_else(|| format!("Invalid cardType: {work_type}"))?;
        let mut map = BTreeMap::new();
        for (k, v) in [
            ("priority", "Medium"),
            ("cardSize", "M"),
            ("classOfService", "Standard Class"),
        ] {
            map.insert(k.to_string(), v.to_string());
        }
        for (k, v) in fields {
            if k == "workType" || k == "id" {
                continue;
            }
            map.insert(k.clone(), value_text(v));
        }
        if map.get("name").is_none_or_empty() {
            return Err("Required field: name is missing".into());
        }
        if let Some(owner) = map.get("currentOwner") {
            if self.user(owner).is_none() && !owner.eq_ignore_ascii_case("unassigned") {
                return Err(format!("Invalid userId: {owner}"));
            }
        }
        Ok(self.insert_card(board, &key, map, None, actor))
    }

    /// Updates card fields.
    pub fn update_card(
        &mut self,
        id: u64,
        fields: &Map<String, Value>,
        actor: &str,
    ) -> Result<(), String> {
        let mut changes = Vec::new();
        {
            let c = self.card_mut(id).ok_or("No card found")?;
            for (k, v) in fields {
                if matches!(k.as_str(), "id" | "workType" | "cardUniqueId" | "cardType") {
                    continue;
                }
                let new = value_text(v);
                let old = c.fields.insert(k.clone(), new.clone()).unwrap_or_default();
                if old != new {
                    changes.push((k.clone(), old, new));
                }
            }
            c.modified = now_iso();
            c.modified_by = actor.into();
        }
        for (k, old, new) in changes {
            self.log_card(
                id,
                &format!("Updated from {old} to {new}"),
                Some(&k),
                &old,
                &new,
                actor,
            );
        }
        Ok(())
    }

    fn check_target(&self, board: u64, lane: u64, queue: u64) -> Result<String, String> {
        let (l, q, display) = self
            .queue_info(board, queue)
            .ok_or_else(|| format!("Invalid queueId : {queue} for given project"))?;
        if l.id != lane {
            return Err(format!("Invalid swimId : {lane} for given queue"));
        }
        if !q.children.is_empty() {
            return Err(format!("Cannot move card to parent queue '{}'", q.name));
        }
        let hard = self
            .board(board)
            .and_then(|b| b.policies.get("Queue Hard WIP Limit Preference"))
            .is_some_and(|v| v == "Y");
        if hard && q.wip > 0 && self.queue_count(queue) as i64 >= q.wip {
            return Err(format!("WIP limit of queue '{display}' exceeded."));
        }
        Ok(format!("{}::{display}", l.name))
    }

    fn place(&mut self, id: u64, pos: Option<(u64, u64)>, old: &str, new: &str, actor: &str) {
        if let Some(c) = self.card_mut(id) {
            c.position = pos;
            c.modified = now_iso();
            c.modified_by = actor.into();
        }
        self.log_card(
            id,
            &format!("Item moved from {old} to {new}"),
            None,
            old,
            new,
            actor,
        );
    }

    fn where_is(&self, id: u64) -> String {
        match self
            .card(id)
            .and_then(|c| c.position.map(|p| (c.board_id, p)))
        {
            Some((b, (_, q))) => self
                .queue_info(b, q)
                .map(|(l, _, d)| format!("{}::{d}", l.name))
                .unwrap_or_default(),
            None => "Backlog".into(),
        }
    }

    /// Moves a Backlog card onto the board.
    pub fn move_to_ready(
        &mut self,
        id: u64,
        lane: u64,
        queue: u64,
        actor: &str,
    ) -> Result<(), String> {
        let c = self.card(id).ok_or("No card found")?.clone();
        ensure_active(&c, "move")?;
        if c.position.is_some() {
            return Err(format!("Card '{}' is not present in the Backlog", c.number));
        }
        let new = self.check_target(c.board_id, lane, queue)?;
        self.place(id, Some((lane, queue)), "Backlog", &new, actor);
        Ok(())
    }

    /// Moves a card on the board; returns the lane and queue it came from.
    pub fn move_on_board(
        &mut self,
        id: u64,
        lane: u64,
        queue: u64,
        actor: &str,
    ) -> Result<(u64, u64), String> {
        let c = self.card(id).ok_or("No card found")?.clone();
        ensure_active(&c, "move")?;
        let from = c
            .position
            .ok_or_else(|| format!("Card '{}' is not present on the board", c.number))?;
        if from == (lane, queue) {
            return Err("Card has been already moved. Please refresh board.".into());
        }
        let new = self.check_target(c.board_id, lane, queue)?;
        let old = self.where_is(id);
        self.place(id, Some((lane, queue)), &old, &new, actor);
        Ok(from)
    }

    /// Moves a board card back to the Backlog.
    pub fn move_to_backlog(&mut self, id: u64, actor: &str) -> Result<(), String> {
        let c = self.card(id).ok_or("No card found")?.clone();
        ensure_active(&c, "move")?;
        if c.position.is_none() {
            return Err(format!("Card '{}' is not present on the board", c.number));
        }
        let old = self.where_is(id);
        self.place(id, None, &old, "Backlog", actor);
        Ok(())
    }

    /// Archives a card (it leaves the board list).
    pub fn archive(&mut self, id: u64, actor: &str) -> Result<(), String> {
        let c = self.card(id).ok_or("No card found")?;
        if c.blocked.is_some() {
            return Err("Cannot archive blocked card.".into());
        }
        if c.state != CardState::Active {
            return Err("Card is not active.".into());
        }
        if let Some(c) = self.card_mut(id) {
            c.state = CardState::Archived;
        }
        self.log_card(id, "Archived", None, "", "", actor);
        Ok(())
    }

    /// Discards (from the Backlog) or aborts (from the board) a card.
    pub fn discard(
        &mut self,
        id: u64,
        reason: &str,
        comment: &str,
        actor: &str,
    ) -> Result<(), String> {
        let c = self.card(id).ok_or("No card found")?.clone();
        ensure_active(&c, "abort")?;
        if let Some(c) = self.card_mut(id) {
            c.state = CardState::Discarded(reason.to_string());
            c.fields
                .insert("discardAbortComment".into(), comment.into());
        }
        let action = if c.position.is_none() {
            "Discarded"
        } else {
            "Aborted"
        };
        self.log_card(id, action, None, "", reason, actor);
        Ok(())
    }

    /// Flags a card (`risk` or `block`); returns the display flag type.
    pub fn flag(
        &mut self,
        id: u64,
        kind: &str,
        reason: &str,
        comment: &str,
        by: &str,
    ) -> Result<String, String> {
        let c = self.card_mut(id).ok_or("No card found")?;
        if c.state != CardState::Active {
            return Err("Card is not active.".into());
        }
        let flag = Flag {
            reason: reason.into(),
            comment: comment.into(),
            by: by.into(),
        };
        let shown = if kind.eq_ignore_ascii_case("block") || kind.eq_ignore_ascii_case("blocked") {
            if c.blocked.is_some() {
                return Err("Card is already blocked.".into());
            }
            c.blocked = Some(flag);
            "Blocked"
        } else if kind.eq_ignore_ascii_case("risk") {
            c.risk = Some(flag);
            "Risk"
        } else {
            return Err(format!("Invalid flagType: {kind}"));
        };
        self.log_card(
            id,
            &format!("Card flagged as {shown}"),
            None,
            "",
            reason,
            by,
        );
        Ok(shown.to_string())
    }

    /// Removes a flag; returns the display flag type.
    pub fn unflag(&mut self, id: u64, kind: &str, by: &str) -> Result<String, String> {
        let c = self.card_mut(id).ok_or("No card found")?;
        let shown = if kind.eq_ignore_ascii_case("block") || kind.eq_ignore_ascii_case("blocked") {
            c.blocked.take().ok_or("Card is not blocked.")?;
            "Blocked"
        } else {
            c.risk.take().ok_or("Card is not flagged as risk.")?;
            "Risk"
        };
        self.log_card(id, &format!("{shown} flag removed"), None, "", "", by);
        Ok(shown.to_string())
    }

    /// Deletes a card.
    pub fn delete_card(&mut self, id: u64, actor: &str) -> Result<(), String> {
        let c = self.card_mut(id).ok_or("No card found")?;
        c.state = CardState::Deleted;
        self.relations.retain(|r| r.from != id && r.to != id);
        self.log_card(id, "Deleted", None, "", "", actor);
        Ok(())
    }

    fn replace_card(
        &mut self,
        id: u64,
        board: u64,
        work_type: &str,
        pos: Option<(u64, u64)>,
        actor: &str,
    ) -> u64 {
        let old = self.card(id).cloned();
        let Some(old) = old else { return 0 };
        let new = self.insert_card(board, work_type, old.fields.clone(), pos, actor);
        if let Some(n) = self.card_mut(new) {
            n.release = old.release;
            n.sprint = old.sprint;
        }
        if let Some(o) = self.card_mut(id) {
            o.state = CardState::Replaced(new);
        }
        new
    }

    /// Converts a card to another type: a new card of `dest` replaces it in the same place;
    /// relations move to the new card unless `break_relation`.
    pub fn convert(
        &mut self,
        id: u64,
        dest: &str,
        break_relation: bool,
        actor: &str,
    ) -> Result<u64, String> {
        let c = self.card(id).ok_or("No card found")?.clone();
        ensure_active(&c, "convert")?;
        let key = self
            .card_type(c.board_id, dest)
            .map(|t| t.key.clone())
            .ok_or_else(|| format!("Invalid cardType: {dest}"))?;
        if key == c.work_type {
            return Err(format!("Card is already of type {key}"));
        }
        let new = self.replace_card(id, c.board_id, &key, c.position, actor);
        if break_relation {
            self.relations.retain(|r| r.from != id && r.to != id);
        } else {
            for r in &mut self.relations {
                if r.from == id {
                    r.from = new;
                }
                if r.to == id {
                    r.to = new;
                }
            }
        }
        Ok(new)
    }

    /// Transfers a card to another board (Backlog when no queue is given).
    pub fn transfer(
        &mut self,
        id: u64,
        board: u64,
        lane: Option<u64>,
        queue: Option<u64>,
        actor: &str,
    ) -> Result<u64, String> {
        let c = self.card(id).ok_or("No card found")?.clone();
        ensure_active(&c, "transfer")?;
        if self.board(board).is_none() {
            return Err(format!("No workspace found for the project id : {board}"));
        }
        if self.card_type(board, &c.work_type).is_none() {
            return Err(format!(
                "Card type {} is not enabled on the destination board",
                c.work_type
            ));
        }
        let pos = match (lane, queue) {
            (Some(l), Some(q)) => {
                self.check_target(board, l, q)?;
                Some((l, q))
            }
            _ => None,
        };
        let new = self.replace_card(id, board, &c.work_type, pos, actor);
        if let Some(n) = self.card_mut(new) {
            n.release = None;
            n.sprint = None;
        }
        self.relations.retain(|r| r.from != id && r.to != id);
        Ok(new)
    }

    /// The card as the REST API renders it (all values strings, Backlog sentinels `N/A`).
    pub fn card_json(&self, id: u64) -> Value {
        let Some(c) = self.card(id) else {
            return json!({});
        };
        let mut o = Map::new();
        let s = |v: &str| Value::String(v.to_string());
        o.insert("id".into(), s(&c.id.to_string()));
        o.insert("cardNumber".into(), s(&c.number));
        o.insert("ExternalCardId".into(), s(&c.number));
        o.insert("workType".into(), s(&c.work_type));
        for (k, v) in &c.fields {
            o.insert(k.clone(), s(v));
        }
        let owner = c.fields.get("currentOwner").cloned().unwrap_or_default();
        if owner.is_empty() || owner.eq_ignore_ascii_case("unassigned") {
            o.insert("currentOwner".into(), s("Unassigned"));
            o.insert("currentOwner_userId".into(), s("Unassigned"));
        } else {
            o.insert("currentOwner".into(), s(&display_owner(self, &owner)));
            o.insert("currentOwner_userId".into(), s(&owner));
        }
        match c.position.and_then(|(_, q)| self.queue_info(c.board_id, q)) {
            Some((lane, q, display)) => {
                o.insert("currentQueue".into(), s(&display));
                o.insert("currentQueueId".into(), s(&q.id.to_string()));
                o.insert("currentSwimId".into(), s(&lane.id.to_string()));
                o.insert("currentSwimName".into(), s(&lane.name));
                o.insert("smartLane".into(), s(&lane.name));
            }
            None => {
                o.insert("currentQueue".into(), s("Backlog"));
                // A Backlog card still names the lane it will enter (as in the transfer example).
                let lane = self
                    .board(c.board_id)
                    .and_then(|b| b.lanes.first())
                    .map(|l| l.name.clone());
                o.insert("smartLane".into(), s(&lane.unwrap_or_default()));
                for k in ["currentQueueId", "currentSwimId", "currentSwimName"] {
                    o.insert(k.into(), s("N/A"));
                }
            }
        }
        let state = match &c.state {
            CardState::Active if c.blocked.is_some() => "Blocked".to_string(),
            CardState::Active => "Active".into(),
            CardState::Archived => "Archived".into(),
            CardState::Discarded(_) => "Discarded".into(),
            CardState::Deleted => "Deleted".into(),
            CardState::Replaced(_) => "Closed".into(),
        };
        o.insert("currentState".into(), s(&state));
        if let Some(f) = &c.blocked {
            o.insert(
                "reasonForBlocking".into(),
                s(&format!("{}: {}", f.reason, f.comment)),
            );
        }
        if let Some(f) = &c.risk {
            o.insert(
                "reasonForRisk".into(),
                s(&format!("{}: {}", f.reason, f.comment)),
            );
        }
        o.insert("summaryType".into(), s("leaf"));
        o.insert("workspaceId".into(), s(&c.board_id.to_string()));
        o.insert("workspaceType".into(), s("KanbanProject"));
        o.insert("createdDate".into(), s(&c.created));
        o.insert("dateIdentified".into(), s(&c.created));
        o.insert("createdBy".into(), s(&c.created_by));
        o.insert("modifiedDate".into(), s(&c.modified));
        o.insert("modifiedBy".into(), s(&c.modified_by));
        o.insert(
            "release".into(),
            s(&c.release.map(|r| r.to_string()).unwrap_or("0".into())),
        );
        o.insert(
            "iteration".into(),
            s(&c.sprint.map(|r| r.to_string()).unwrap_or("0".into())),
        );
        let related = self.relations.iter().any(|r| r.from == id || r.to == id);
        o.insert(
            "isRelated".into(),
            s(if related { "true" } else { "false" }),
        );
        if c.work_type == "KanbanDefect" {
            for k in ["rootCause", "severity", "defectType"] {
                o.entry(k).or_insert_with(|| s("-99999"));
            }
        }
        Value::Object(o)
    }

    /// The card keyed by field labels, as smart-lane data renders it.
    pub fn card_labels(&self, id: u64) -> Value {
        let card = self.card_json(id);
        let g = |k: &str| card.get(k).cloned().unwrap_or(Value::String(String::new()));
        let c = self.card(id);
        let release = c
            .and_then(|c| c.release)
            .and_then(|r| self.releases.iter().find(|x| x.id == r));
        json!({
            "Work Type": g("workType"), "Size": g("cardSize"), "Workspace Type": "KanbanProject",
            "Current Owner": g("currentOwner"), "ExternalCardId": g("ExternalCardId"),
            "Current Owner UserId": g("currentOwner_userId"), "Last Updated By": g("modifiedBy"),
            "Last Updated On": g("modifiedDate"),
            "Release": {"id": release.map(|r| r.id.to_string()).unwrap_or("0".into()),
                        "name": release.map(|r| r.name.clone()).unwrap_or("Not Yet Identified".into())},
            "Status": g("currentState"), "Class Of Service": g("classOfService"), "Created On": g("createdDate"),
            "Priority": g("priority"), "Workspace Id": g("workspaceId"), "Current Column": g("currentQueue"),
            "Lane": g("currentSwimName"), "Title": g("name"), "Summary Type": "leaf", "Unique ID": g("id"),
            "Pos": "1.0", "Date Identified": g("dateIdentified"), "Queue Id": g("currentQueueId"),
            "Id": g("cardNumber"), "Created By": g("createdBy"),
        })
    }
}

trait EmptyCheck {
    fn is_none_or_empty(&self) -> bool;
}
impl EmptyCheck for Option<&String> {
    fn is_none_or_empty(&self) -> bool {
        self.is_none_or(|s| s.trim().is_empty())
    }
}

/// A JSON scalar as text (numbers unquoted, null empty).
pub fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}
