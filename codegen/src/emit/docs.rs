//! Spec descriptions to doc comments that rustdoc accepts and that cannot run as doctests.

/// Cleans spec text for a `///` comment: HTML line breaks become newlines, bare URLs are
/// wrapped in `<>`, brackets that rustdoc would read as links are escaped, and code fences
/// are retagged `text`.
pub fn sanitize(text: &str) -> String {
    let text = text
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\t', "    ");
    let text = text
        .replace("<br/>", "\n")
        .replace("<br>", "\n")
        .replace("<br />", "\n");
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        let trimmed = line.trim_end();
        if trimmed.trim_start().starts_with("```") {
            out.push(if in_fence {
                "```".to_string()
            } else {
                "```text".to_string()
            });
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(trimmed.to_string());
        } else {
            out.push(escape_line(trimmed.trim_start()));
        }
    }
    if in_fence {
        out.push("```".to_string());
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

fn escape_line(line: &str) -> String {
    let mut out = String::new();
    for (i, word) in line.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if word.starts_with("http://") || word.starts_with("https://") {
            out.push('<');
            out.push_str(word);
            out.push('>');
        } else {
            for c in word.chars() {
                match c {
                    '[' | ']' | '<' | '>' => {
                        out.push('\\');
                        out.push(c);
                    }
                    _ => out.push(c),
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_rustdoc_would_misread() {
        assert_eq!(
            sanitize("see http://x.y/a?b=1 [link]"),
            "see <http://x.y/a?b=1> \\[link\\]"
        );
        assert_eq!(sanitize("a<br/>b\r\n"), "a\nb");
        assert_eq!(sanitize("```\nfn main() {}"), "```text\nfn main() {}\n```");
        assert_eq!(sanitize("*/ <script>"), "*/ \\<script\\>");
    }
}
