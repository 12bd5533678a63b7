//! `GET+POST /admin/users/new`: create an account with a role and a typed or generated
//! password; a generated one is shown once, on the users page answering the request.

use super::generated_password;
use super::users::{Accounts, Choice, PasswordNotice, Refused, no_store, role_choices, users_page};
use crate::AppState;
use crate::web::{Flash, FormErrors, HttpError, Page, StaffOnly, Ui, form_errors, idempotency_key};
use application::App;
use application::users::CreateUser;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use domain::Role;
use serde::{Deserialize, Serialize};

/// The routes of this module.
pub(super) fn routes<A: App>() -> Router<AppState<A>> {
    Router::new().route("/admin/users/new", get(new_form::<A>).post(create::<A>))
}

/// The form as submitted (the password is never sent back to the browser).
#[derive(Deserialize)]
struct NewUserForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    generate: Option<String>,
    #[serde(default)]
    idempotency_key: String,
}

/// What the form shows again.
#[derive(Debug, Default, Serialize)]
struct FormValues {
    username: String,
    role: String,
    generate: bool,
    idempotency_key: String,
}

/// The create form's view.
#[derive(Debug, Serialize)]
struct NewUserView {
    form: FormValues,
    roles: Vec<Choice>,
    errors: FormErrors,
}

fn page(form: FormValues, errors: FormErrors, roles: &[Role]) -> Page {
    let roles = role_choices(roles);
    Page::new("admin/user_new.html", "New user", &NewUserView { form, roles, errors })
        .crumb("Admin", "/admin")
        .crumb("Users", "/admin/users")
}

/// `GET /admin/users/new`: the roles the admin may give (a manager gets the 403 page).
async fn new_form<A: App>(State(state): State<AppState<A>>, staff: StaffOnly, ui: Ui) -> Result<Response, HttpError> {
    let roles = state.tracker.assignable_roles(&staff.actor)?;
    let form = FormValues { role: "manager".into(), idempotency_key: idempotency_key(), ..FormValues::default() };
    ui.render(page(form, FormErrors::none(), roles)).await
}

/// `POST /admin/users/new`. A typed password: 303 to the users page with a flash. A
/// generated one: the users page with the password, once (200, not cached). It is
/// created without the idempotency key: a replay by key would return the first account
/// while showing this request's fresh password, which would not work; usernames are
/// unique, so a double submit still creates one account (the second is refused).
async fn create<A: App>(
    State(state): State<AppState<A>>,
    staff: StaffOnly,
    ui: Ui,
    Form(form): Form<NewUserForm>,
) -> Result<Response, HttpError> {
    let generate = form.generate.is_some();
    let password = if generate { generated_password() } else { form.password };
    let key = (!generate).then(|| form.idempotency_key.clone());
    let cmd = CreateUser {
        username: form.username.clone(),
        role: form.role.clone(),
        password: password.clone(),
        idempotency_key: key,
    };
    let values =
        FormValues { username: form.username, role: form.role, generate, idempotency_key: form.idempotency_key };
    match state.tracker.create_user(&staff.actor, cmd).await {
        Ok(_) if !generate => {
            ui.see_other("/admin/users", Flash::success(format!("User {} created.", values.username.trim()))).await
        }
        Ok(_) => {
            let accounts = Accounts::read(&state, &staff.actor).await?;
            let notice = PasswordNotice { username: values.username.trim().to_owned(), password, created: true };
            Ok(no_store(ui.render(users_page(&accounts, staff.staff.id, Some(notice), &Refused::Nothing)).await?))
        }
        Err(e) => {
            let errors = form_errors(e)?;
            ui.render(page(values, errors, state.tracker.assignable_roles(&staff.actor)?).invalid()).await
        }
    }
}

/// Fixture views for this module's template.
#[cfg(test)]
pub(super) fn template_fixtures() -> Vec<(&'static str, serde_json::Value)> {
    let mut errors = FormErrors::none();
    errors.fields.insert("username".into(), "must be 3 to 64 letters, digits, _, . or -".into());
    errors.fields.insert("password".into(), "must be at least 12 characters".into());
    errors.form = Some("The username is already taken.".into());
    let form = FormValues {
        username: "x".into(),
        role: "admin".into(),
        generate: true,
        idempotency_key: "0123456789abcdef".into(),
    };
    let roles = role_choices(&Role::ALL);
    vec![("admin/user_new.html", serde_json::to_value(NewUserView { form, roles, errors }).unwrap_or_default())]
}
