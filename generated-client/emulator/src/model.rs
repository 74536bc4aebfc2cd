//! The in-memory account: users, boards (lanes, queues), cards and everything hanging off them.
//!
//! All fields are public so a test can build exactly the state it needs and read it back; the
//! `add_*` helpers allocate ids and keep the invariants (card numbers per type code, queue
//! ids unique across the account).

use std::collections::BTreeMap;

/// A user of the account.
#[derive(Debug, Clone)]
pub struct User {
    /// Person id (also the JWT `personId`).
    pub id: u64,
    /// Login id (an e-mail address in practice).
    pub login: String,
    /// Password (plain; the emulator is a test double).
    pub password: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// E-mail address.
    pub email: String,
    /// Primary role name: `Admin`, `Member`, ...
    pub primary_role: String,
    /// Has the Integration User role (required for REST and SOAP).
    pub integration_user: bool,
    /// `false` once deleted.
    pub active: bool,
    /// Time zone (`"-99999"` = none).
    pub time_zone: String,
}

impl User {
    /// Display name, `First Last`.
    pub fn display_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

/// A queue (column); `children` are sub-queues (the parent then holds no cards).
#[derive(Debug, Clone)]
pub struct Queue {
    /// Queue id (`qkeyId`).
    pub id: u64,
    /// Name.
    pub name: String,
    /// WIP limit (`-1` = none).
    pub wip: i64,
    /// Minimum WIP (`-1` = none).
    pub min_wip: i64,
    /// Sub-queues.
    pub children: Vec<Queue>,
}

/// A swim lane (smart lane) with its queue tree.
#[derive(Debug, Clone)]
pub struct Lane {
    /// Lane id (`swimId`).
    pub id: u64,
    /// Name.
    pub name: String,
    /// Top-level queues, left to right.
    pub queues: Vec<Queue>,
}

/// A card type enabled on a board.
#[derive(Debug, Clone)]
pub struct CardType {
    /// Type key (`UserStory`, `KanbanDefect`, ...).
    pub key: String,
    /// Display name (`User Stories`).
    pub name: String,
    /// Number prefix (`UST`).
    pub code: String,
}

/// A board (project / workspace).
#[derive(Debug, Clone)]
pub struct Board {
    /// Board id.
    pub id: u64,
    /// Project number.
    pub number: u64,
    /// Board name.
    pub name: String,
    /// Lanes.
    pub lanes: Vec<Lane>,
    /// Card types available on the board.
    pub card_types: Vec<CardType>,
    /// Team members: login and board role.
    pub team: Vec<(String, String)>,
    /// Board policies (spaced keys, as the service writes them).
    pub policies: BTreeMap<String, String>,
    /// Created date.
    pub created: String,
    /// Person id of the creator.
    pub created_by: u64,
}

/// A risk or block flag.
#[derive(Debug, Clone)]
pub struct Flag {
    /// Reason.
    pub reason: String,
    /// Comment.
    pub comment: String,
    /// Who flagged.
    pub by: String,
}

/// Card life-cycle state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardState {
    /// On the board or in the Backlog.
    Active,
    /// Archived (gone from the board list).
    Archived,
    /// Discarded (from Backlog) or aborted (from the board), with the reason.
    Discarded(String),
    /// Deleted.
    Deleted,
    /// Replaced by another card (convert / transfer), with the new card id.
    Replaced(u64),
}

/// A card.
#[derive(Debug, Clone)]
pub struct Card {
    /// Unique id.
    pub id: u64,
    /// Card number (`DEF3`).
    pub number: String,
    /// Board.
    pub board_id: u64,
    /// Type key.
    pub work_type: String,
    /// Lane and queue; `None` = Backlog.
    pub position: Option<(u64, u64)>,
    /// State.
    pub state: CardState,
    /// Block flag.
    pub blocked: Option<Flag>,
    /// Risk flag.
    pub risk: Option<Flag>,
    /// Field values by field name (`name`, `priority`, `cardSize`, `classOfService`,
    /// `currentOwner` (a login), `description`, custom fields such as `numeric4`, ...).
    pub fields: BTreeMap<String, String>,
    /// Release id.
    pub release: Option<u64>,
    /// Sprint id.
    pub sprint: Option<u64>,
    /// Created date.
    pub created: String,
    /// Creator login.
    pub created_by: String,
    /// Modified date.
    pub modified: String,
    /// Last modifier login.
    pub modified_by: String,
}

impl Card {
    /// The title (`name` field).
    pub fn title(&self) -> &str {
        self.fields.get("name").map(String::as_str).unwrap_or("")
    }
    /// Active or blocked, i.e. visible on the board or in the Backlog.
    pub fn is_live(&self) -> bool {
        self.state == CardState::Active
    }
}

/// A comment (or reply).
#[derive(Debug, Clone)]
pub struct Comment {
    /// Id.
    pub id: u64,
    /// Card id.
    pub card_id: u64,
    /// Text.
    pub text: String,
    /// Author login.
    pub by: String,
    /// Created date.
    pub created: String,
    /// Parent comment for replies.
    pub reply_to: Option<u64>,
    /// Client-side id (`commentExternalId`).
    pub external_id: Option<String>,
}

/// A relation between two cards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    /// From card id.
    pub from: u64,
    /// To card id.
    pub to: u64,
    /// `Parent-child`, `Has`, `kanbanDependency`.
    pub kind: String,
}

/// A to-do on a card.
#[derive(Debug, Clone)]
pub struct Todo {
    /// Id.
    pub id: u64,
    /// Number (`TODO7`).
    pub number: String,
    /// Card id.
    pub card_id: u64,
    /// Name.
    pub name: String,
    /// `Pending`, `In-Progress`, `completed`.
    pub state: String,
    /// Owner login or `Unassigned`.
    pub owner: String,
    /// Created date.
    pub created: String,
    /// Creator.
    pub created_by: String,
    /// Modified date.
    pub modified: String,
    /// Modifier.
    pub modified_by: String,
    /// Deleted.
    pub deleted: bool,
}

/// A file attached to a card.
#[derive(Debug, Clone)]
pub struct Attachment {
    /// Id.
    pub id: u64,
    /// Card id.
    pub card_id: u64,
    /// File name.
    pub file_name: String,
    /// Content.
    pub content: Vec<u8>,
    /// Added by.
    pub by: String,
    /// Created date.
    pub created: String,
}

/// A release.
#[derive(Debug, Clone)]
pub struct Release {
    /// Id.
    pub id: u64,
    /// Release number.
    pub number: u64,
    /// Board.
    pub board_id: u64,
    /// Name.
    pub name: String,
    /// `Active` / `Closed`.
    pub state: String,
    /// Start date.
    pub start: Option<String>,
    /// Release date.
    pub end: Option<String>,
    /// Capacity.
    pub capacity: String,
    /// Deleted.
    pub deleted: bool,
}

/// A sprint (iteration).
#[derive(Debug, Clone)]
pub struct Sprint {
    /// Id.
    pub id: u64,
    /// Iteration number.
    pub number: u64,
    /// Board.
    pub board_id: u64,
    /// Release id.
    pub release: Option<u64>,
    /// Name.
    pub name: String,
    /// `Active` / `Closed`.
    pub state: String,
    /// Start date.
    pub start: String,
    /// End date.
    pub end: String,
    /// Capacity.
    pub capacity: String,
    /// Deleted.
    pub deleted: bool,
}

/// One activity-log entry.
#[derive(Debug, Clone)]
pub struct Activity {
    /// Id.
    pub id: u64,
    /// Card the entry is about.
    pub card_id: Option<u64>,
    /// To-do the entry is about.
    pub todo_id: Option<u64>,
    /// Time stamp.
    pub at: String,
    /// Action text.
    pub action: String,
    /// Field label, if a field changed.
    pub field: Option<String>,
    /// Old value.
    pub old: String,
    /// New value.
    pub new: String,
    /// Who.
    pub by: String,
}

/// A relation added or deleted (for the relation log).
#[derive(Debug, Clone)]
pub struct RelationEvent {
    /// When.
    pub at: String,
    /// Added (`true`) or deleted.
    pub added: bool,
    /// The relation.
    pub relation: Relation,
}

/// The whole account.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// Account id (JWT `appAccountId`).
    pub account_id: u64,
    /// Account name.
    pub account_name: String,
    /// Users.
    pub users: Vec<User>,
    /// Boards.
    pub boards: Vec<Board>,
    /// Cards (all states).
    pub cards: Vec<Card>,
    /// Comments.
    pub comments: Vec<Comment>,
    /// Relations.
    pub relations: Vec<Relation>,
    /// Relation log.
    pub relation_log: Vec<RelationEvent>,
    /// To-dos.
    pub todos: Vec<Todo>,
    /// Attachments.
    pub attachments: Vec<Attachment>,
    /// Releases.
    pub releases: Vec<Release>,
    /// Sprints.
    pub sprints: Vec<Sprint>,
    /// Activity log.
    pub activity: Vec<Activity>,
    /// Attachment size limit in MB.
    pub size_limit_mb: u64,
    /// Next id to hand out.
    pub next_id: u64,
    /// Card number counters per type code.
    pub counters: BTreeMap<String, u64>,
}

/// Current UTC time as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn now_iso() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    iso_from_unix(secs)
}

/// Formats seconds since the epoch as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn iso_from_unix(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // civil_from_days (H. Hinnant)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem / 60) % 60,
        rem % 60
    )
}

impl Model {
    /// An empty account (id 1535610) with a 5 MB attachment limit.
    pub fn new() -> Self {
        Model {
            account_id: 1_535_610,
            account_name: "Emulated Account".into(),
            size_limit_mb: 5,
            next_id: 1_000_000,
            ..Default::default()
        }
    }

    /// Hands out a fresh id.
    pub fn fresh_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// Adds a user; returns its person id.
    pub fn add_user(
        &mut self,
        login: &str,
        password: &str,
        first: &str,
        last: &str,
        role: &str,
        integration_user: bool,
    ) -> u64 {
        let id = self.fresh_id();
        self.users.push(User {
            id,
            login: login.into(),
            password: password.into(),
            first_name: first.into(),
            last_name: last.into(),
            email: login.into(),
            primary_role: role.into(),
            integration_user,
            active: true,
            time_zone: "-99999".into(),
        });
        id
    }

    /// Adds a board with the standard card types; returns its id.
    pub fn add_board(&mut self, name: &str) -> u64 {
        let id = self.fresh_id();
        let number = self.boards.len() as u64 + 1;
        let mut policies = BTreeMap::new();
        for (k, v) in [
            ("AddCommentPref", "N"),
            ("AllowSharedResource", "N"),
            ("Auto Movement Preference", "N"),
            ("AutoArchiveCardPreference", "none"),
            ("Default CardType Preference", "none"),
            ("Owner Change Preference", "Y"),
            ("Queue Hard WIP Limit Preference", "N"),
            ("Restrict Movement Preference", "N"),
            ("RiskOfDelay", "none"),
            ("To-Do Closure Preference", "N"),
            ("WIP Violated Preference", "none"),
            ("estimateWIPPrf", "N"),
        ] {
            policies.insert(k.to_string(), v.to_string());
        }
        let created_by = self.users.first().map(|u| u.id).unwrap_or(10_000);
        self.boards.push(Board {
            id,
            number,
            name: name.into(),
            lanes: Vec::new(),
            card_types: vec![
                ct("UserStory", "User Stories", "UST"),
                ct("KanbanDefect", "Defects", "DEF"),
                ct("KanbanIssue", "Issues", "ISS"),
                ct("DCMG", "Document Management", "DCMG"),
            ],
            team: Vec::new(),
            policies,
            created: "2024-01-08T09:00:00Z".into(),
            created_by,
        });
        id
    }

    /// Adds a lane to a board; returns its id.
    pub fn add_lane(&mut self, board: u64, name: &str) -> u64 {
        let id = self.fresh_id();
        if let Some(b) = self.board_mut(board) {
            b.lanes.push(Lane {
                id,
                name: name.into(),
                queues: Vec::new(),
            });
        }
        id
    }

    /// Adds a queue to a lane (under `parent` for a sub-queue); returns its id.
    pub fn add_queue(
        &mut self,
        board: u64,
        lane: u64,
        parent: Option<u64>,
        name: &str,
        wip: i64,
    ) -> u64 {
        let id = self.fresh_id();
        let q = Queue {
            id,
            name: name.into(),
            wip,
            min_wip: -1,
            children: Vec::new(),
        };
        if let Some(l) = self
            .board_mut(board)
            .and_then(|b| b.lanes.iter_mut().find(|l| l.id == lane))
        {
            match parent {
                None => l.queues.push(q),
                Some(p) => {
                    if let Some(pq) = find_queue_mut(&mut l.queues, p) {
                        pq.children.push(q);
                    }
                }
            }
        }
        id
    }

    /// Adds a card (in the Backlog when `position` is `None`); returns its id.
    pub fn add_card(
        &mut self,
        board: u64,
        work_type: &str,
        title: &str,
        position: Option<(u64, u64)>,
        fields: &[(&str, &str)],
        by: &str,
    ) -> u64 {
        let mut map = BTreeMap::new();
        map.insert("name".to_string(), title.to_string());
        for (k, v) in [
            ("priority", "Medium"),
            ("cardSize", "M"),
            ("classOfService", "Standard Class"),
        ] {
            map.insert(k.into(), v.into());
        }
        for (k, v) in fields {
            map.insert(k.to_string(), v.to_string());
        }
        self.insert_card(board, work_type, map, position, by)
    }

    /// Inserts a card with the given field map (id, number and dates allocated here).
    pub fn insert_card(
        &mut self,
        board: u64,
        work_type: &str,
        fields: BTreeMap<String, String>,
        position: Option<(u64, u64)>,
        by: &str,
    ) -> u64 {
        let id = self.fresh_id();
        let code = self
            .card_type(board, work_type)
            .map(|t| t.code.clone())
            .unwrap_or_else(|| work_type.to_string());
        let n = self.counters.entry(code.clone()).or_insert(0);
        *n += 1;
        let number = format!("{code}{n}");
        let now = now_iso();
        self.cards.push(Card {
            id,
            number,
            board_id: board,
            work_type: work_type.to_string(),
            position,
            state: CardState::Active,
            blocked: None,
            risk: None,
            fields,
            release: None,
            sprint: None,
            created: now.clone(),
            created_by: by.into(),
            modified: now.clone(),
            modified_by: by.into(),
        });
        self.log_card(id, "Created", None, "", "", by);
        id
    }

    /// Records an activity for a card.
    pub fn log_card(
        &mut self,
        card: u64,
        action: &str,
        field: Option<&str>,
        old: &str,
        new: &str,
        by: &str,
    ) {
        let id = self.fresh_id();
        self.activity.push(Activity {
            id,
            card_id: Some(card),
            todo_id: None,
            at: now_iso(),
            action: action.into(),
            field: field.map(str::to_string),
            old: old.into(),
            new: new.into(),
            by: by.into(),
        });
    }

    /// Records an activity for a to-do.
    pub fn log_todo(
        &mut self,
        todo: u64,
        action: &str,
        field: Option<&str>,
        old: &str,
        new: &str,
        by: &str,
    ) {
        let id = self.fresh_id();
        self.activity.push(Activity {
            id,
            card_id: None,
            todo_id: Some(todo),
            at: now_iso(),
            action: action.into(),
            field: field.map(str::to_string),
            old: old.into(),
            new: new.into(),
            by: by.into(),
        });
    }

    /// A board by id.
    pub fn board(&self, id: u64) -> Option<&Board> {
        self.boards.iter().find(|b| b.id == id)
    }

    /// A board by id, mutable.
    pub fn board_mut(&mut self, id: u64) -> Option<&mut Board> {
        self.boards.iter_mut().find(|b| b.id == id)
    }

    /// A card type of a board by key or code (case-insensitive).
    pub fn card_type(&self, board: u64, key_or_code: &str) -> Option<&CardType> {
        self.board(board)?.card_types.iter().find(|t| {
            t.key.eq_ignore_ascii_case(key_or_code) || t.code.eq_ignore_ascii_case(key_or_code)
        })
    }

    /// A user by login (case-insensitive), active or not.
    pub fn user(&self, login: &str) -> Option<&User> {
        self.users
            .iter()
            .find(|u| u.login.eq_ignore_ascii_case(login))
    }

    /// A card by id.
    pub fn card(&self, id: u64) -> Option<&Card> {
        self.cards.iter().find(|c| c.id == id)
    }

    /// A card by id, mutable.
    pub fn card_mut(&mut self, id: u64) -> Option<&mut Card> {
        self.cards.iter_mut().find(|c| c.id == id)
    }

    /// The first live card with this title.
    pub fn card_by_title(&self, title: &str) -> Option<&Card> {
        self.cards
            .iter()
            .find(|c| c.is_live() && c.title() == title)
    }

    /// Live cards of a board.
    pub fn board_cards(&self, board: u64) -> Vec<&Card> {
        self.cards
            .iter()
            .filter(|c| c.board_id == board && c.is_live())
            .collect()
    }

    /// Resolves a card reference (`type` key or code, unique id or card number) on a board
    /// (`board` `None` = any board). Returns the card id.
    pub fn resolve(
        &self,
        board: Option<u64>,
        card_type: &str,
        unique: &str,
    ) -> Result<u64, String> {
        let unique = unique.trim();
        let found = self.cards.iter().find(|c| {
            board.is_none_or(|b| c.board_id == b)
                && (c.id.to_string() == unique || c.number.eq_ignore_ascii_case(unique))
                && !matches!(c.state, CardState::Deleted | CardState::Replaced(_))
        });
        let Some(card) = found else {
            return Err(format!("No card found for the Sequence Number : {unique}"));
        };
        if !card_type.is_empty()
            && !card.work_type.eq_ignore_ascii_case(card_type)
            && self
                .card_type(card.board_id, card_type)
                .is_none_or(|t| t.key != card.work_type)
        {
            return Err(format!("Invalid cardType: {card_type}"));
        }
        Ok(card.id)
    }

    /// Lane and queue by queue id on a board: (lane, queue, display name, is leaf).
    pub fn queue_info(&self, board: u64, queue: u64) -> Option<(&Lane, &Queue, String)> {
        let b = self.board(board)?;
        for lane in &b.lanes {
            if let Some((q, display)) = find_queue(&lane.queues, queue, "") {
                return Some((lane, q, display));
            }
        }
        None
    }

    /// Number of live cards in a queue.
    pub fn queue_count(&self, queue: u64) -> usize {
        self.cards
            .iter()
            .filter(|c| c.is_live() && c.position.map(|p| p.1) == Some(queue))
            .count()
    }

    /// The first leaf queue of a lane (the "Ready" column by convention).
    pub fn ready_queue(&self, board: u64, lane: Option<u64>) -> Option<(u64, u64)> {
        let b = self.board(board)?;
        let lane = match lane {
            Some(id) => b.lanes.iter().find(|l| l.id == id)?,
            None => b.lanes.first()?,
        };
        let mut q = lane.queues.first()?;
        while let Some(c) = q.children.first() {
            q = c;
        }
        Some((lane.id, q.id))
    }

    /// A small realistic account: an integration user and two team members, the board
    /// "Mobile App" with lanes "Product" and "Expedite", queues Ready, Develop (In-Progress,
    /// Done), Validate, Done, cards of four types with custom fields, comments, a relation,
    /// to-dos, an attachment, a release with a sprint, and a second board "Platform".
    pub fn demo() -> Self {
        let mut m = Model::new();
        m.add_user(
            "admin@example.com",
            "admin-pw",
            "Ada",
            "Admin",
            "Admin",
            true,
        );
        m.add_user(
            "dev@example.com",
            "dev-pw",
            "Dan",
            "Developer",
            "Member",
            true,
        );
        m.add_user(
            "viewer@example.com",
            "viewer-pw",
            "Vera",
            "Viewer",
            "Member",
            false,
        );
        let b = m.add_board("Mobile App");
        let product = m.add_lane(b, "Product");
        let ready = m.add_queue(b, product, None, "Ready", 5);
        let develop = m.add_queue(b, product, None, "Develop", 4);
        let in_progress = m.add_queue(b, product, Some(develop), "In-Progress", 3);
        let dev_done = m.add_queue(b, product, Some(develop), "Done", 2);
        let validate = m.add_queue(b, product, None, "Validate", 3);
        let done = m.add_queue(b, product, None, "Done", -1);
        let expedite = m.add_lane(b, "Expedite");
        let ex_ready = m.add_queue(b, expedite, None, "Ready", 1);
        let _ex_doing = m.add_queue(b, expedite, None, "Doing", 1);
        if let Some(board) = m.board_mut(b) {
            board.team = vec![
                ("admin@example.com".into(), "Manager".into()),
                ("dev@example.com".into(), "Member".into()),
            ];
        }
        let a = "admin@example.com";
        let login = m.add_card(
            b,
            "UserStory",
            "Login with SSO",
            Some((product, ready)),
            &[
                ("currentOwner", "dev@example.com"),
                ("numeric4", "5"),
                (
                    "description",
                    "As a user I sign in with the company account.",
                ),
            ],
            a,
        );
        let _ = m.add_card(
            b,
            "UserStory",
            "Offline mode",
            Some((product, in_progress)),
            &[
                ("currentOwner", "dev@example.com"),
                ("numeric4", "8"),
                ("priority", "High"),
            ],
            a,
        );
        let crash = m.add_card(
            b,
            "KanbanDefect",
            "Crash on rotate",
            Some((product, in_progress)),
            &[
                ("currentOwner", "dev@example.com"),
                ("severity", "Major"),
                ("priority", "Critical"),
            ],
            a,
        );
        let _ = m.add_card(
            b,
            "KanbanIssue",
            "App store review notes",
            Some((product, dev_done)),
            &[("currentOwner", a)],
            a,
        );
        let _ = m.add_card(
            b,
            "UserStory",
            "Dark theme",
            Some((product, validate)),
            &[("numeric4", "3")],
            a,
        );
        let _ = m.add_card(
            b,
            "DCMG",
            "Release checklist",
            Some((product, done)),
            &[],
            a,
        );
        let _ = m.add_card(
            b,
            "KanbanDefect",
            "Payment timeout",
            Some((expedite, ex_ready)),
            &[("priority", "Critical"), ("classOfService", "Expedite")],
            a,
        );
        let _ = m.add_card(
            b,
            "UserStory",
            "Push notifications",
            None,
            &[("numeric4", "13")],
            a,
        );
        let _ = m.add_card(b, "KanbanIssue", "Update privacy policy", None, &[], a);
        let now = now_iso();
        let c1 = m.fresh_id();
        m.comments.push(Comment {
            id: c1,
            card_id: crash,
            text: "Reproduced on Android 14.".into(),
            by: "dev@example.com".into(),
            created: now.clone(),
            reply_to: None,
            external_id: None,
        });
        m.relations.push(Relation {
            from: login,
            to: crash,
            kind: "kanbanDependency".into(),
        });
        let t = m.fresh_id();
        m.todos.push(Todo {
            id: t,
            number: "TODO1".into(),
            card_id: login,
            name: "Configure IdP".into(),
            state: "Pending".into(),
            owner: "dev@example.com".into(),
            created: now.clone(),
            created_by: a.into(),
            modified: now.clone(),
            modified_by: a.into(),
            deleted: false,
        });
        let at = m.fresh_id();
        m.attachments.push(Attachment {
            id: at,
            card_id: crash,
            file_name: "stacktrace.txt".into(),
            content: b"java.lang.IllegalStateException".to_vec(),
            by: "dev@example.com".into(),
            created: now.clone(),
        });
        let r = m.fresh_id();
        m.releases.push(Release {
            id: r,
            number: 1,
            board_id: b,
            name: "1.0".into(),
            state: "Active".into(),
            start: Some("2024-02-01T00:00:00Z".into()),
            end: Some("2024-03-29T00:00:00Z".into()),
            capacity: "40.0".into(),
            deleted: false,
        });
        let s = m.fresh_id();
        m.sprints.push(Sprint {
            id: s,
            number: 1,
            board_id: b,
            release: Some(r),
            name: "Sprint 1".into(),
            state: "Active".into(),
            start: "2024-02-01T00:00:00Z".into(),
            end: "2024-02-14T00:00:00Z".into(),
            capacity: "20.0".into(),
            deleted: false,
        });
        if let Some(c) = m.card_mut(login) {
            c.release = Some(r);
            c.sprint = Some(s);
        }
        let p = m.add_board("Platform");
        let ops = m.add_lane(p, "Operations");
        let _ = m.add_queue(p, ops, None, "Ready", 5);
        let _ = m.add_queue(p, ops, None, "Doing", 2);
        let _ = m.add_queue(p, ops, None, "Done", -1);
        if let Some(board) = m.board_mut(p) {
            board.team = vec![("admin@example.com".into(), "Manager".into())];
        }
        m
    }
}

fn ct(key: &str, name: &str, code: &str) -> CardType {
    CardType {
        key: key.into(),
        name: name.into(),
        code: code.into(),
    }
}

/// Finds a queue in a tree, with its display name (`Parent#Child`).
pub fn find_queue<'a>(queues: &'a [Queue], id: u64, prefix: &str) -> Option<(&'a Queue, String)> {
    for q in queues {
        let display = if prefix.is_empty() {
            q.name.clone()
        } else {
            format!("{prefix}#{}", q.name)
        };
        if q.id == id {
            return Some((q, display));
        }
        if let Some(found) = find_queue(&q.children, id, &display) {
            return Some(found);
        }
    }
    None
}

fn find_queue_mut(queues: &mut [Queue], id: u64) -> Option<&mut Queue> {
    for q in queues {
        if q.id == id {
            return Some(q);
        }
        if let Some(found) = find_queue_mut(&mut q.children, id) {
            return Some(found);
        }
    }
    None
}
