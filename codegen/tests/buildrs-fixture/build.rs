//! Generates both clients into OUT_DIR: petstore from a config file, VIES with the builder.

fn main() {
    // The common case: one line and a codegen.toml-style file.
    codegen::compile("petstore.toml");

    // The builder, for knobs chosen in code.
    let vies = codegen::Config::new()
        .wsdl("specs/checkVatService.wsdl")
        .runtime_path("::client_runtime")
        .exclude_operation("checkVatApprox");
    if let Err(diagnostics) = codegen::build::generate_into_out_dir(&vies, "vies") {
        eprintln!("{diagnostics}");
        std::process::exit(1);
    }
}
