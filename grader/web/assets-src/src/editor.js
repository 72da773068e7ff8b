// The code editor: CodeMirror 6 with Python highlighting and indentation, replacing a <textarea>.
// The textarea stays in the form (hidden) and always holds the editor's text, so the form is
// the one source of what is submitted; the draft is kept in the browser's localStorage.
import { EditorState } from "@codemirror/state";
import { EditorView, keymap, lineNumbers, highlightActiveLine, drawSelection } from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";
import { syntaxHighlighting, defaultHighlightStyle, indentOnInput, bracketMatching, indentUnit } from "@codemirror/language";

export function createEditor(textarea, onChange) {
  const label = textarea.getAttribute("aria-describedby");
  const testid = textarea.dataset.testid;
  const view = new EditorView({
    parent: textarea.parentNode,
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        lineNumbers(), history(), drawSelection(), highlightActiveLine(), indentOnInput(), bracketMatching(),
        indentUnit.of("    "), python(), syntaxHighlighting(defaultHighlightStyle),
        // The page's CSP allows CodeMirror's own <style> element by this response's nonce only.
        EditorView.cspNonce.of(document.querySelector('meta[name="style-nonce"]')?.content || ""),
        // Tab indents; Escape then Tab leaves the editor (CodeMirror's documented escape hatch).
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorView.contentAttributes.of({
          "aria-label": textarea.getAttribute("aria-label") || "Code editor",
          ...(label ? { "aria-describedby": label } : {}),
          ...(testid ? { "data-testid": testid } : {}),
        }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) {
            textarea.value = update.state.doc.toString();
            onChange(textarea.value);
          }
        }),
      ],
    }),
  });
  textarea.removeAttribute("data-testid");
  textarea.hidden = true;
  textarea.parentNode.insertBefore(view.dom, textarea);
  return {
    get: () => view.state.doc.toString(),
    set: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    focus: () => view.focus(),
  };
}
