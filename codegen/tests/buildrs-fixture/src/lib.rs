//! Two clients generated at build time by `codegen` and included from `OUT_DIR`.

/// The OAI petstore (OpenAPI 3.0), generated from `petstore.toml`.
pub mod petstore {
    include!(concat!(env!("OUT_DIR"), "/petstore.rs"));
}

/// The EU VIES VAT-number service (WSDL 1.1), generated with the `Config` builder.
pub mod vies {
    include!(concat!(env!("OUT_DIR"), "/vies.rs"));
}
