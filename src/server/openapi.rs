//! The OpenAPI 3 document, generated from the handlers' annotations and the wire types.
//!
//! A copy is committed as `openapi.json` at the repository root; a test fails when it is
//! stale. Regenerate it with `UPDATE_OPENAPI=1 cargo test --test server_openapi`.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::api;
use crate::server::routes;

#[derive(OpenApi)]
#[openapi(
    info(title = "jitd", description = "Just-in-time elevated privileged access."),
    paths(
        routes::healthz, routes::readyz,
        routes::login, routes::logout, routes::me, routes::create_token,
        routes::status,
        routes::create_request, routes::list_requests, routes::get_request,
        routes::cancel_request, routes::approve_request, routes::deny_request,
        routes::decide_batch,
        routes::create_activation, routes::list_activations, routes::deactivate,
        routes::list_devices, routes::get_device, routes::check_in,
        routes::record_completions,
        routes::file_reimage_fixes, routes::list_reimage_fixes,
        routes::apply_reimage_fixes, routes::reject_reimage_fixes,
        routes::list_audit,
    ),
    components(schemas(api::Problem, api::ErrorCode, api::Role, api::Scope)),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The document `GET /api/v1/openapi.json` serves.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
    doc
}
