//! Records as the API shows them: effective states at `now`, device names as the
//! directory spells them, display names filled in.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::api;
use crate::server::rules;
use crate::server::storage::Store;
use crate::server::storage::{
    ActivationRecord, DeviceRecord, ReimageFixRecord, RequestRecord, StoreResult, UserRecord,
};

/// Device and user names, loaded once for a list.
#[derive(Debug, Default)]
pub struct Names {
    devices: HashMap<String, String>,
    users: HashMap<String, String>,
}

impl Names {
    pub async fn load(store: &dyn Store) -> StoreResult<Names> {
        let devices = store.devices().await?.into_iter().map(|d| (d.key, d.name)).collect();
        let users =
            store.users().await?.into_iter().map(|u| (u.username, u.display_name)).collect();
        Ok(Names { devices, users })
    }

    pub fn device(&self, key: &str) -> String {
        self.devices.get(key).cloned().unwrap_or_else(|| key.to_owned())
    }

    pub fn user(&self, username: &str) -> String {
        self.users.get(username).cloned().unwrap_or_else(|| username.to_owned())
    }
}

pub fn user(user: &UserRecord) -> api::User {
    api::User {
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        email: user.email.clone(),
        department: user.department.clone(),
        roles: user.roles.clone(),
        rp_of: user.rp_of.clone(),
    }
}

pub fn device(device: &DeviceRecord) -> api::Device {
    api::Device {
        name: device.name.clone(),
        state: device.state,
        agent_id: device.agent_id.clone(),
        pending_agent_id: device.pending_agent_id.clone(),
        last_check_in_at: device.last_check_in_at,
    }
}

pub fn request(r: &RequestRecord, names: &Names, now: DateTime<Utc>) -> api::AccessRequest {
    let state = rules::request_state(r, now);
    api::AccessRequest {
        id: r.id,
        requester: r.requester.clone(),
        requester_display_name: names.user(&r.requester),
        department: r.department.clone(),
        device: names.device(&r.device_key),
        reason: r.reason.clone(),
        ticket: r.ticket.clone(),
        state,
        created_at: r.created_at,
        decided_by: r.decided_by.clone(),
        decided_at: r.decided_at,
        decision_reason: r.decision_reason.clone(),
        approval_expires_at: r.approval_expires_at,
        lapses_at: (state == api::RequestState::Pending).then_some(r.lapses_at),
    }
}

pub fn activation(a: &ActivationRecord, names: &Names, now: DateTime<Utc>) -> api::Activation {
    let state = rules::activation_state(a, now);
    api::Activation {
        id: a.id,
        username: a.username.clone(),
        device: names.device(&a.device_key),
        state,
        requested_at: a.requested_at,
        effective_at: a.effective_at,
        expires_at: a.expires_at,
        expected_effective_by: a.expected_effective_by,
        ended_at: match state {
            api::ActivationState::Expired => Some(a.ended_at.unwrap_or(a.expires_at)),
            _ => a.ended_at,
        },
    }
}

pub fn reimage_fix(f: &ReimageFixRecord, names: &Names) -> api::ReimageFix {
    api::ReimageFix {
        id: f.id,
        title: api::REIMAGE_FIX_TITLE.to_owned(),
        device: names.device(&f.device_key),
        old_agent_id: f.old_agent_id.clone(),
        new_agent_id: f.new_agent_id.clone(),
        filed_by: f.filed_by.clone(),
        filed_at: f.filed_at,
        state: f.state,
        resolved_by: f.resolved_by.clone(),
        resolved_at: f.resolved_at,
        resolution_reason: f.resolution_reason.clone(),
    }
}

/// A snapshot of a record for an audit event.
pub fn snapshot<T: serde::Serialize>(value: &T) -> Option<serde_json::Value> {
    serde_json::to_value(value).ok()
}
