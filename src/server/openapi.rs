//! The OpenAPI 3 document, generated from the handlers' annotations and the wire types.
//!
//! A copy is committed as `openapi.json` at the repository root; a test fails when it is
//! stale. Regenerate it with `UPDATE_OPENAPI=1 cargo test --test server_openapi`.

use utoipa::openapi::path::{Operation, Parameter, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, Ref, RefOr, Required, ResponseBuilder};
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
    modifiers(&BearerAuth, &ProblemResponses, &IdempotencyKeyHeader, &NullableBatchValues),
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

/// Every operation's error responses, described once here rather than per handler:
/// errors are always `application/problem+json` with the `Problem` schema (the middleware
/// rewrites any other error body into one), and any `/api/v1` route can fail inside (`5XX`,
/// whose body says nothing internal).
struct ProblemResponses;

impl Modify for ProblemResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            let is_api = path.starts_with(crate::api::API_PREFIX);
            for operation in operations(item) {
                let responses = &mut operation.responses.responses;
                if is_api {
                    responses.entry("4XX".to_owned()).or_insert_with(|| problem("Refused").into());
                    responses
                        .entry("5XX".to_owned())
                        .or_insert_with(|| problem("Failed inside the server").into());
                }
                for (status, response) in responses.iter_mut() {
                    let is_error = status.starts_with('4') || status.starts_with('5');
                    if let (true, RefOr::T(response)) = (is_error, response) {
                        response.content.clear();
                        response.content.insert(PROBLEM_TYPE.to_owned(), problem_content());
                        if response.description.is_empty() {
                            response.description = "Refused, as a problem".to_owned();
                        }
                    }
                }
            }
        }
    }
}

const PROBLEM_TYPE: &str = "application/problem+json";

fn problem_content() -> Content {
    Content::new(Some(Ref::from_schema_name("Problem")))
}

fn problem(description: &str) -> utoipa::openapi::Response {
    ResponseBuilder::new().description(description).content(PROBLEM_TYPE, problem_content()).build()
}

fn operations(item: &mut utoipa::openapi::PathItem) -> impl Iterator<Item = &mut Operation> {
    [&mut item.get, &mut item.post, &mut item.put, &mut item.delete, &mut item.patch]
        .into_iter()
        .filter_map(Option::as_mut)
}

/// The `Idempotency-Key` header as the middleware accepts it: optional, 1 to 200 visible
/// ASCII characters. Declared `Option<String>` in the handlers, it would otherwise allow
/// `null` and any Unicode, which no header can carry and the server refuses.
struct IdempotencyKeyHeader;

impl Modify for IdempotencyKeyHeader {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            for operation in operations(item) {
                for parameter in operation.parameters.iter_mut().flatten() {
                    if parameter.name.eq_ignore_ascii_case(crate::api::IDEMPOTENCY_KEY_HEADER)
                        && parameter.parameter_in == ParameterIn::Header
                    {
                        *parameter = idempotency_key_parameter(
                            &parameter.name,
                            parameter.description.clone(),
                        );
                    }
                }
            }
        }
    }
}

fn idempotency_key_parameter(name: &str, description: Option<String>) -> Parameter {
    let schema = ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .max_length(Some(200))
        .pattern(Some(r"^[!-~]([ -~]*[!-~])?$"))
        .build();
    let mut parameter = Parameter::new(name);
    parameter.parameter_in = ParameterIn::Header;
    parameter.required = Required::False;
    parameter.description = description;
    parameter.schema = Some(schema.into());
    parameter
}

/// A batch item's `value` is `null` when the item was refused, but utoipa inlines the
/// generic `Option<T>` of `BatchItemResult<T>` without the `null`.
struct NullableBatchValues;

impl Modify for NullableBatchValues {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let Some(components) = openapi.components.as_mut() else { return };
        for (name, schema) in components.schemas.iter_mut() {
            let RefOr::T(Schema::Object(object)) = schema else { continue };
            if !name.starts_with("BatchItemResult") {
                continue;
            }
            if let Some(value) = object.properties.remove("value") {
                let null = ObjectBuilder::new().schema_type(Type::Null).build();
                let nullable = OneOfBuilder::new().item(null).item(value).build();
                object.properties.insert("value".to_owned(), RefOr::T(Schema::OneOf(nullable)));
            }
        }
    }
}

/// The document `GET /api/v1/openapi.json` serves.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
    doc
}
