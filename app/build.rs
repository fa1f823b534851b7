//! Rebuild the database tests when a migration is added or changed: `#[sqlx::test]` embeds
//! the server's migrations at compile time.
fn main() {
    println!("cargo:rerun-if-changed=../server/migrations");
}
