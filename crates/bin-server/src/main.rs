//! The `asset-tracker` binary.

fn main() {
    println!("asset-tracker {}", env!("CARGO_PKG_VERSION"));
}
