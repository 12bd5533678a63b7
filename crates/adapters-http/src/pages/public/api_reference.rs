//! `GET /api`: the API's reference, rendered on the server from the same OpenAPI
//! document `/api/v1/openapi.json` serves: every operation with its parameters, body
//! and answers, and every schema with its fields. No script, nothing from elsewhere.

use crate::api::ApiDoc;
use crate::web::{HttpError, Page, Ui};
use axum::response::Response;
use serde::Serialize;
use serde_json::Value;
use utoipa::OpenApi;

/// One operation.
#[derive(Debug, Serialize)]
struct Operation {
    method: String,
    path: String,
    /// An anchor for links.
    anchor: String,
    summary: String,
    description: String,
    token: bool,
    params: Vec<Param>,
    body: Option<String>,
    responses: Vec<Answer>,
}

#[derive(Debug, Serialize)]
struct Param {
    name: String,
    location: String,
    required: bool,
    description: String,
}

#[derive(Debug, Serialize)]
struct Answer {
    status: String,
    description: String,
    schema: Option<String>,
}

#[derive(Debug, Serialize)]
struct Schema {
    name: String,
    description: String,
    fields: Vec<Field>,
}

#[derive(Debug, Serialize)]
struct Field {
    name: String,
    kind: String,
    required: bool,
    description: String,
}

#[derive(Debug, Serialize)]
struct ReferenceView {
    api_title: String,
    version: String,
    description: String,
    operations: Vec<Operation>,
    schemas: Vec<Schema>,
}

fn text(value: &Value, key: &str) -> String {
    value.get(key).and_then(Value::as_str).unwrap_or_default().to_owned()
}

/// A schema's type in words: a named schema, `array of …`, `string (date-time)`, or
/// `… or null`.
fn kind_of(schema: &Value) -> String {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        return reference.rsplit('/').next().unwrap_or(reference).to_owned();
    }
    if let Some(options) = schema.get("oneOf").or_else(|| schema.get("anyOf")).and_then(Value::as_array) {
        return options.iter().map(kind_of).collect::<Vec<_>>().join(" or ");
    }
    let types: Vec<String> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        _ => vec!["any".to_owned()],
    };
    types
        .iter()
        .map(|t| match t.as_str() {
            "array" => format!("array of {}", schema.get("items").map_or_else(|| "any".to_owned(), kind_of)),
            "null" => "null".to_owned(),
            other => match schema.get("format").and_then(Value::as_str) {
                Some(format) => format!("{other} ({format})"),
                None => other.to_owned(),
            },
        })
        .collect::<Vec<_>>()
        .join(" or ")
}

fn body_schema(content: Option<&Value>) -> Option<String> {
    let content = content?.as_object()?;
    content.values().find_map(|media| media.get("schema")).map(kind_of)
}

fn operations(doc: &Value) -> Vec<Operation> {
    let mut out = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else { return out };
    for (path, item) in paths {
        for method in ["get", "post", "put", "patch", "delete"] {
            let Some(op) = item.get(method) else { continue };
            let params = op
                .get("parameters")
                .and_then(Value::as_array)
                .map(|ps| {
                    ps.iter()
                        .map(|p| Param {
                            name: text(p, "name"),
                            location: text(p, "in"),
                            required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
                            description: text(p, "description"),
                        })
                        .collect()
                })
                .unwrap_or_default();
            let responses = op
                .get("responses")
                .and_then(Value::as_object)
                .map(|rs| {
                    rs.iter()
                        .map(|(status, r)| Answer {
                            status: status.clone(),
                            description: text(r, "description"),
                            schema: body_schema(r.get("content")),
                        })
                        .collect()
                })
                .unwrap_or_default();
            let anchor = format!("{method}-{}", path.trim_matches('/').replace(['/', '{', '}'], "-"));
            out.push(Operation {
                method: method.to_ascii_uppercase(),
                path: path.clone(),
                anchor,
                summary: text(op, "summary"),
                description: text(op, "description"),
                token: op.get("security").is_some(),
                params,
                body: body_schema(op.get("requestBody").and_then(|b| b.get("content"))),
                responses,
            });
        }
    }
    out
}

fn schemas(doc: &Value) -> Vec<Schema> {
    let Some(all) = doc.pointer("/components/schemas").and_then(Value::as_object) else { return Vec::new() };
    all.iter()
        .map(|(name, schema)| {
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let fields = schema
                .get("properties")
                .and_then(Value::as_object)
                .map(|props| {
                    props
                        .iter()
                        .map(|(field, p)| Field {
                            name: field.clone(),
                            kind: kind_of(p),
                            required: required.contains(&field.as_str()),
                            description: text(p, "description"),
                        })
                        .collect()
                })
                .unwrap_or_default();
            Schema { name: name.clone(), description: text(schema, "description"), fields }
        })
        .collect()
}

fn view() -> ReferenceView {
    let doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    ReferenceView {
        api_title: doc.pointer("/info/title").and_then(Value::as_str).unwrap_or("API").to_owned(),
        version: doc.pointer("/info/version").and_then(Value::as_str).unwrap_or_default().to_owned(),
        description: doc.pointer("/info/description").and_then(Value::as_str).unwrap_or_default().to_owned(),
        operations: operations(&doc),
        schemas: schemas(&doc),
    }
}

/// `GET /api`. The reference is built from the document once per process.
pub(super) async fn reference(ui: Ui) -> Result<Response, HttpError> {
    static VIEW: std::sync::LazyLock<ReferenceView> = std::sync::LazyLock::new(view);
    ui.render(Page::new("public/api.html", "API reference", &*VIEW)).await
}

#[cfg(test)]
pub(super) fn template_fixtures() -> Vec<(&'static str, serde_json::Value)> {
    vec![("public/api.html", serde_json::to_value(view()).unwrap_or_default())]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_operation_and_schema_is_on_the_page() {
        let view = view();
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
        let documented: usize = doc["paths"]
            .as_object()
            .unwrap()
            .values()
            .map(|item| {
                item.as_object()
                    .unwrap()
                    .keys()
                    .filter(|k| ["get", "post", "put", "delete"].contains(&k.as_str()))
                    .count()
            })
            .sum();
        assert_eq!(view.operations.len(), documented);
        assert!(
            view.operations.iter().any(|o| o.method == "POST" && o.path == "/api/v1/missions/{id}/events" && o.token)
        );
        assert!(view.operations.iter().any(|o| o.path == "/api/v1/pool" && !o.token));
        let event = view.schemas.iter().find(|s| s.name == "EventInputDoc").expect("the event body's schema");
        let changes = event.fields.iter().find(|f| f.name == "changes").expect("its changes");
        assert_eq!(changes.kind, "array of ChangeInputDoc");
        assert!(event.fields.iter().any(|f| f.name == "title" && f.required));
    }

    #[test]
    fn types_read_as_words() {
        assert_eq!(
            kind_of(&serde_json::json!({"type": ["string", "null"], "format": "date"})),
            "string (date) or null"
        );
        assert_eq!(kind_of(&serde_json::json!({"$ref": "#/components/schemas/MissionDoc"})), "MissionDoc");
        assert_eq!(kind_of(&serde_json::json!({"type": "array", "items": {"type": "integer"}})), "array of integer");
    }
}
