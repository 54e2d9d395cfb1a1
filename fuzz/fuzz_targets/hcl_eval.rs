#![no_main]
//! Evaluating Terraform expressions never panics, hangs, exhausts memory or
//! overflows the stack. Each line of the input is one local (`l0`, `l1`, ...)
//! that may refer to the others; every local is evaluated, and a resource
//! and an output use the first ones, so mutations land in expressions rather
//! than in the file's syntax.
use libfuzzer_sys::fuzz_target;
use preflight::frontends::terraform::{adapters, hcl};

/// What the locals are written into.
const TAIL: &str = r#"}
resource "aws_s3_bucket" "b" {
  for_each = try(toset(local.l0), toset([]))
  bucket   = try(tostring(local.l1), "b")
  tags     = try(local.l2, {})
  dynamic "cors_rule" {
    for_each = try(local.l3, [])
    content {
      allowed_methods = [cors_rule.value]
    }
  }
}
output "o" {
  value = try(aws_s3_bucket.b[local.l4].bucket, local.l5)
}
"#;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let mut tf = String::from("locals {\n");
        for (i, line) in text.lines().enumerate() {
            tf.push_str(&format!("  l{i} = {line}\n"));
        }
        tf.push_str(TAIL);
        let unit = hcl::evaluate_text(&tf);
        let mut diagnostics = Vec::new();
        let _ = adapters::adapt(unit.resources, &mut diagnostics);
    }
});
