//! Paths of the REST API routes, relative to [`API_PREFIX`](super::API_PREFIX).
//!
//! The paths the `jit` client calls, in one place, so that a test or a server route can name
//! the same constant instead of repeating the string. Paths with an `{id}` segment are filled
//! in with [`with_id`].

/// `POST`: exchange a username and password for a bearer token ([`super::TokenIssued`]).
pub const LOGIN: &str = "/auth/login";
/// `POST`: revoke the bearer token the call carries.
pub const LOGOUT: &str = "/auth/logout";
/// `GET`: the signed-in user ([`super::User`]).
pub const ME: &str = "/me";
/// `GET`: everything `jit status` shows ([`super::Status`]); optional `?device=`.
pub const STATUS: &str = "/status";
/// `POST`: file a request ([`super::NewAccessRequest`] → [`super::RequestCreated`]).
/// `GET`: list requests ([`super::Page`] of [`super::AccessRequest`]); query
/// `awaiting_decision=true` (what the caller may decide) or `mine=true`, and optional
/// `state=`, `device=`, `requester=`, `cursor=`, `limit=`.
pub const REQUESTS: &str = "/requests";
/// `GET`: one request.
pub const REQUEST: &str = "/requests/{id}";
/// `POST`: decide requests in one batch ([`super::DecisionBatch`] →
/// [`super::BatchResult`] of [`super::AccessRequest`]).
pub const DECISIONS: &str = "/decisions";
/// `POST`: activate ([`super::NewActivation`] → [`super::ActivationCreated`]).
/// `GET`: the caller's activations ([`super::Page`] of [`super::Activation`]); optional
/// `device=`, `live=true`, `cursor=`, `limit=`.
pub const ACTIVATIONS: &str = "/activations";
/// `POST`: end an activation early; answers the [`super::Activation`].
pub const DEACTIVATE: &str = "/activations/{id}/deactivate";
/// `POST`: file fix requests for devices ([`super::ReimageFixBatch`] →
/// [`super::BatchResult`] of [`super::ReimageFix`]). `GET`: list them, optional `state=`.
pub const REIMAGE_FIXES: &str = "/reimage-fixes";
/// `POST`: apply the open fix requests of devices (IAM), same shapes as filing.
pub const REIMAGE_FIXES_APPLY: &str = "/reimage-fixes/apply";
/// `POST`: reject the open fix requests of devices (IAM); the batch needs a `reason`.
pub const REIMAGE_FIXES_REJECT: &str = "/reimage-fixes/reject";

/// Fills the `{id}` segment of a route.
pub fn with_id(route: &str, id: impl std::fmt::Display) -> String {
    route.replace("{id}", &id.to_string())
}
