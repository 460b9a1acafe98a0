//! The JIT rules of `shared/PROCESS.md`, as pure functions.
//!
//! Nothing here knows HTTP or SQL, and nothing reads the clock: every function that depends
//! on time takes `now`. Each refusal is an [`api::Problem`](crate::api::Problem) with its
//! stable code and a sentence saying what to do next.
//!
//! Lapse and expiry are computed from the stored facts at read time ([`request_state`],
//! [`activation_state`]), so that whatever the clock says, a record has exactly one state
//! and no job has to run first for the answer to be right.

// A refusal is a full problem with its hint and remedy; refusals are rare next to the
// work around them, so its size on the error path does not matter.
#![allow(clippy::result_large_err)]

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::api::{
    ActivationState, Decision, DeviceState, ErrorCode, MAX_REASON_CHARS, Problem, RequestState,
    Role, Training, TrainingState,
};
use crate::server::config::Settings;
use crate::server::storage::{
    ActivationRecord, DeviceRecord, RequestRecord, TrainingRecord, UserRecord,
};

pub type Verdict<T> = Result<T, Problem>;

/// How devices are matched: exactly, ignoring case and surrounding whitespace.
pub fn device_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// Checks a free-text reason (request, denial, rejection) and returns it trimmed.
pub fn reason(text: &str, what: &str) -> Verdict<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Problem::new(
            ErrorCode::ReasonRequired,
            "Reason required",
            format!("{what} needs a reason."),
        )
        .with_hint("Give a short reason, e.g. --reason \"install the lab analyser driver\"."));
    }
    if text.chars().count() > MAX_REASON_CHARS {
        return Err(invalid(format!(
            "{what}: the reason is longer than {MAX_REASON_CHARS} characters."
        )));
    }
    if text.chars().any(char::is_control) {
        return Err(invalid(format!("{what}: the reason contains control characters.")));
    }
    Ok(text.to_owned())
}

/// Checks an optional ticket reference: short, printable, no control characters.
pub fn ticket(text: Option<&str>) -> Verdict<Option<String>> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else { return Ok(None) };
    if text.chars().count() > 100 || text.chars().any(char::is_control) {
        return Err(invalid("The ticket reference must be at most 100 printable characters."));
    }
    Ok(Some(text.to_owned()))
}

pub fn invalid(detail: impl Into<String>) -> Problem {
    Problem::new(ErrorCode::InvalidInput, "Invalid input", detail)
}

/// The state of a request at `now`: a pending request lapses, an approval expires.
pub fn request_state(request: &RequestRecord, now: DateTime<Utc>) -> RequestState {
    match request.state {
        RequestState::Pending if now >= request.lapses_at => RequestState::Lapsed,
        RequestState::Approved
            if request.approval_expires_at.is_some_and(|expires| now >= expires) =>
        {
            RequestState::Expired
        }
        state => state,
    }
}

/// A request still counts against a new one for the same device while pending or approved.
pub fn is_live_request(request: &RequestRecord, now: DateTime<Utc>) -> bool {
    matches!(request_state(request, now), RequestState::Pending | RequestState::Approved)
}

/// Who may decide a request: a responsible person of its department, or an admin, but
/// never the requester.
pub fn may_decide(decider: &UserRecord, request: &RequestRecord) -> Verdict<()> {
    if decider.username == request.requester {
        return Err(Problem::new(
            ErrorCode::OwnRequest,
            "Own request",
            "Nobody decides their own request.",
        )
        .with_hint("Ask another responsible person of your department."));
    }
    let rp_here = decider.has_role(Role::Rp) && decider.rp_of.contains(&request.department);
    if !rp_here && !decider.has_role(Role::Admin) {
        return Err(Problem::new(
            ErrorCode::NotResponsiblePerson,
            "Not a responsible person",
            format!(
                "Only a responsible person of {} (or an admin) decides this request.",
                request.department
            ),
        ));
    }
    Ok(())
}

/// Whether `decider` may see and decide requests of `department`.
pub fn decides_for(decider: &UserRecord, department: &str) -> bool {
    decider.has_role(Role::Admin)
        || (decider.has_role(Role::Rp) && decider.rp_of.iter().any(|d| d == department))
}

/// The outcome of a decision, before it is stored.
#[derive(Debug, Clone)]
pub struct DecisionInput<'a> {
    pub decision: Decision,
    pub reason: Option<&'a str>,
    pub approval_expires_at: Option<DateTime<Utc>>,
}

/// Applies a decision to a pending request, or says why it cannot be made.
pub fn decide(
    settings: &Settings,
    decider: &UserRecord,
    request: &RequestRecord,
    input: &DecisionInput<'_>,
    now: DateTime<Utc>,
) -> Verdict<RequestRecord> {
    may_decide(decider, request)?;
    match request_state(request, now) {
        RequestState::Pending => {}
        RequestState::Approved | RequestState::Denied | RequestState::Expired => {
            let mut problem = Problem::new(
                ErrorCode::AlreadyDecided,
                "Already decided",
                format!(
                    "The request was already {} by {} at {}.",
                    if request.state == RequestState::Denied { "denied" } else { "approved" },
                    request.decided_by.as_deref().unwrap_or("someone"),
                    request.decided_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
                ),
            );
            problem.decided_by = request.decided_by.clone();
            problem.decided_at = request.decided_at;
            return Err(problem);
        }
        state => {
            return Err(Problem::new(
                ErrorCode::RequestNotPending,
                "Request not pending",
                format!("The request is {}: there is nothing to decide.", state_word(state)),
            ));
        }
    }

    let mut decided = request.clone();
    decided.decided_by = Some(decider.username.clone());
    decided.decided_at = Some(now);
    match input.decision {
        Decision::Approve => {
            decided.state = RequestState::Approved;
            decided.approval_expires_at =
                Some(approval_expiration(settings, input.approval_expires_at, now)?);
            decided.decision_reason =
                input.reason.map(|r| reason(r, "An approval note")).transpose()?;
        }
        Decision::Deny => {
            decided.state = RequestState::Denied;
            decided.decision_reason = Some(reason(input.reason.unwrap_or_default(), "A denial")?);
        }
    }
    Ok(decided)
}

/// The approval expiration: the configured default, or an earlier date the approver chose,
/// never past the configured maximum.
pub fn approval_expiration(
    settings: &Settings,
    asked: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Verdict<DateTime<Utc>> {
    let Some(asked) = asked else { return Ok(now + settings.approval_default) };
    let latest = now + settings.approval_max;
    if asked <= now || asked > latest {
        return Err(Problem::new(
            ErrorCode::InvalidApprovalExpiration,
            "Invalid approval expiration",
            format!(
                "The approval expiration must be after now and no later than {} ({} days).",
                latest.to_rfc3339(),
                settings.approval_max.num_days()
            ),
        ));
    }
    Ok(asked)
}

pub fn state_word(state: RequestState) -> &'static str {
    match state {
        RequestState::Pending => "pending",
        RequestState::Approved => "approved",
        RequestState::Denied => "denied",
        RequestState::Cancelled => "cancelled",
        RequestState::Lapsed => "lapsed (nobody decided it in time)",
        RequestState::Expired => "expired",
    }
}

/// The instant a good-through date ends: midnight after it, in the organisation's zone.
pub fn good_until(good_through: NaiveDate, zone: Tz) -> DateTime<Utc> {
    let next_day = good_through.succ_opt().unwrap_or(good_through);
    local_instant(zone, next_day, NaiveTime::MIN)
}

/// The first run of the overnight training job strictly after `after`.
pub fn next_training_run(settings: &Settings, after: DateTime<Utc>) -> DateTime<Utc> {
    let zone = settings.time_zone;
    let local_day = after.with_timezone(&zone).date_naive();
    let today = local_instant(zone, local_day, settings.training_job_time);
    if today > after {
        return today;
    }
    let tomorrow = local_day.succ_opt().unwrap_or(local_day);
    local_instant(zone, tomorrow, settings.training_job_time)
}

/// A local wall-clock time as an instant; in a DST gap, the first instant after it.
fn local_instant(zone: Tz, day: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let local = day.and_time(time);
    match zone.from_local_datetime(&local) {
        chrono::LocalResult::Single(t) => t.with_timezone(&Utc),
        chrono::LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
        chrono::LocalResult::None => {
            let later = local + Duration::hours(1);
            zone.from_local_datetime(&later)
                .earliest()
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or_else(|| Utc.from_utc_datetime(&local))
        }
    }
}

/// A user's training at `now`.
///
/// The overnight job assigns the course to users with an approval and no current training,
/// so the assignment is the first run after the earliest approval that is still in force.
pub fn training(
    settings: &Settings,
    record: Option<&TrainingRecord>,
    approvals: &[&RequestRecord],
    now: DateTime<Utc>,
) -> Training {
    let earliest_approval = approvals.iter().filter_map(|r| r.decided_at).min();
    let assignment = earliest_approval.map(|at| next_training_run(settings, at));
    let mut training = Training {
        state: TrainingState::NotAssigned,
        assigned_at: None,
        completed_on: None,
        good_through: None,
        good_until: None,
        next_assignment_run_at: None,
    };
    if let Some(record) = record {
        let until = good_until(record.good_through, settings.time_zone);
        training.completed_on = Some(record.completed_on);
        training.good_through = Some(record.good_through);
        training.good_until = Some(until);
        training.state = if now < until { TrainingState::Current } else { TrainingState::Expired };
        return training;
    }
    match assignment {
        Some(run) if run <= now => {
            training.state = TrainingState::Assigned;
            training.assigned_at = Some(run);
        }
        Some(run) => training.next_assignment_run_at = Some(run),
        None => {}
    }
    training
}

/// The state of an activation at `now`.
pub fn activation_state(activation: &ActivationRecord, now: DateTime<Utc>) -> ActivationState {
    if activation.ended_at.is_some() || activation.state == ActivationState::Deactivated {
        return ActivationState::Deactivated;
    }
    if now >= activation.expires_at {
        return ActivationState::Expired;
    }
    if activation.effective_at.is_some() {
        ActivationState::Active
    } else {
        ActivationState::Pending
    }
}

pub fn is_live_activation(activation: &ActivationRecord, now: DateTime<Utc>) -> bool {
    matches!(activation_state(activation, now), ActivationState::Pending | ActivationState::Active)
}

/// The length of an activation: the configured maximum unless the user asks for less.
pub fn activation_duration(settings: &Settings, minutes: Option<u32>) -> Verdict<Duration> {
    let Some(minutes) = minutes else { return Ok(settings.activation_max) };
    let asked = Duration::minutes(minutes.into());
    if minutes == 0 || asked > settings.activation_max {
        return Err(Problem::new(
            ErrorCode::InvalidDuration,
            "Invalid duration",
            format!(
                "An activation lasts between 1 and {} minutes.",
                settings.activation_max.num_minutes()
            ),
        ));
    }
    Ok(asked)
}

/// A device after its agent checked in with `agent_id`, and the audit action that names
/// what happened. The first check-in binds the device; a different identity marks it
/// reimaged and waits, untrusted, for IAM to re-bind it.
pub fn check_in(
    device: &DeviceRecord,
    agent_id: &str,
    now: DateTime<Utc>,
) -> (DeviceRecord, &'static str) {
    let mut updated = device.clone();
    updated.last_check_in_at = Some(now);
    let known = |id: &Option<String>| id.as_deref() == Some(agent_id);
    let action = match device.state {
        DeviceState::Unbound => {
            updated.state = DeviceState::Bound;
            updated.agent_id = Some(agent_id.to_owned());
            "device.bind"
        }
        DeviceState::Bound if known(&device.agent_id) => "device.check_in",
        DeviceState::Reimaged if known(&device.agent_id) || known(&device.pending_agent_id) => {
            "device.check_in"
        }
        DeviceState::Bound | DeviceState::Reimaged => {
            updated.state = DeviceState::Reimaged;
            updated.pending_agent_id = Some(agent_id.to_owned());
            "device.reimaged"
        }
    };
    (updated, action)
}

/// The steps that make an endpoint agent fetch its policy again.
pub fn device_not_found_remedy() -> Vec<String> {
    vec![
        "On the device, open the endpoint agent's tray menu.".to_owned(),
        "Choose \"Request Settings\" to make the agent fetch its policy again.".to_owned(),
        "Confirm.".to_owned(),
        "Retry the activation.".to_owned(),
    ]
}

/// Everything an activation needs, checked in the order a user should fix them: approval,
/// training, then the device. `approvals` are this user's requests for this device.
pub fn may_activate(
    settings: &Settings,
    device: &DeviceRecord,
    approvals: &[&RequestRecord],
    training: &Training,
    now: DateTime<Utc>,
) -> Verdict<()> {
    let states: Vec<RequestState> = approvals.iter().map(|r| request_state(r, now)).collect();
    if !states.contains(&RequestState::Approved) {
        if states.contains(&RequestState::Expired) {
            return Err(Problem::new(
                ErrorCode::ApprovalExpired,
                "Approval expired",
                format!("Your approval for {} has expired.", device.name),
            )
            .with_hint(format!("Request again: jit request {} --reason TEXT", device.name)));
        }
        let pending = states.contains(&RequestState::Pending);
        return Err(Problem::new(
            ErrorCode::NoApproval,
            "No approval",
            format!("You have no approval for {}.", device.name),
        )
        .with_hint(if pending {
            "Your request is pending: wait for your responsible person to decide it.".to_owned()
        } else {
            format!("Request access first: jit request {} --reason TEXT", device.name)
        }));
    }
    training_allows(settings, training)?;
    match device.state {
        DeviceState::Bound => Ok(()),
        DeviceState::Unbound => Err(Problem::new(
            ErrorCode::DeviceNotFound,
            "Device not found",
            format!("The agent of {} has never checked in.", device.name),
        )
        .with_hint("Make the device's agent fetch its policy, then retry.")
        .with_remedy(device_not_found_remedy())),
        DeviceState::Reimaged => Err(Problem::new(
            ErrorCode::DeviceReimaged,
            "Device reimaged",
            format!(
                "{} was reimaged: its agent identity changed and IAM must re-bind it.",
                device.name
            ),
        )
        .with_hint(format!("File a fix request: jit reimage-fix request {}", device.name))),
    }
}

fn training_allows(settings: &Settings, training: &Training) -> Verdict<()> {
    let day = |t: DateTime<Utc>| t.with_timezone(&settings.time_zone).format("%Y-%m-%d %H:%M %Z");
    match training.state {
        TrainingState::Current => Ok(()),
        TrainingState::Expired => Err(Problem::new(
            ErrorCode::TrainingExpired,
            "Training expired",
            format!(
                "Your training was good through {}.",
                training.good_through.map(|d| d.to_string()).unwrap_or_default()
            ),
        )
        .with_hint("Retake the course in the learning system; it can take a few minutes to show.")),
        TrainingState::Assigned => Err(Problem::new(
            ErrorCode::TrainingRequired,
            "Training required",
            "The required course is assigned to you and not yet completed.",
        )
        .with_hint("Complete the course in the learning system, then retry.")),
        TrainingState::NotAssigned => Err(Problem::new(
            ErrorCode::TrainingRequired,
            "Training required",
            "The required course is not assigned to you yet.",
        )
        .with_hint(match training.next_assignment_run_at {
            Some(at) => {
                format!("It is assigned by the overnight job at {}; complete it then.", day(at))
            }
            None => "It is assigned the night after an approval.".to_owned(),
        })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn request(now: DateTime<Utc>) -> RequestRecord {
        RequestRecord {
            id: Uuid::nil(),
            requester: "alice".into(),
            department: "Cardiology".into(),
            device_key: "card-pc014".into(),
            reason: "driver".into(),
            ticket: None,
            state: RequestState::Pending,
            created_at: now,
            decided_by: None,
            decided_at: None,
            decision_reason: None,
            approval_expires_at: None,
            lapses_at: now + Duration::days(30),
        }
    }

    #[test]
    fn device_names_match_exactly_ignoring_case_and_spaces() {
        assert_eq!(device_key("  lab-pc1 "), device_key("LAB-PC1"));
        assert_ne!(device_key("LAB-PC1"), device_key("LAB-PC10"));
    }

    #[test]
    fn a_pending_request_lapses_after_the_configured_days() {
        let now = at("2026-01-01T00:00:00Z");
        let r = request(now);
        assert_eq!(request_state(&r, now + Duration::days(29)), RequestState::Pending);
        assert_eq!(request_state(&r, now + Duration::days(30)), RequestState::Lapsed);
    }

    #[test]
    fn good_through_lasts_to_the_end_of_the_day_in_the_organisation_zone() {
        let zone: Tz = "Europe/Zurich".parse().unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 1, 10).unwrap();
        assert_eq!(good_until(day, zone), at("2026-01-10T23:00:00Z"));
    }

    #[test]
    fn the_training_job_runs_the_night_after() {
        let settings = Settings::default();
        assert_eq!(
            next_training_run(&settings, at("2026-01-10T14:00:00Z")),
            at("2026-01-11T02:00:00Z")
        );
        assert_eq!(
            next_training_run(&settings, at("2026-01-10T01:00:00Z")),
            at("2026-01-10T02:00:00Z")
        );
    }

    #[test]
    fn reasons_refuse_control_characters() {
        assert_eq!(reason("a\u{7}b", "A request").unwrap_err().code, ErrorCode::InvalidInput);
        assert_eq!(reason("   ", "A request").unwrap_err().code, ErrorCode::ReasonRequired);
    }
}
