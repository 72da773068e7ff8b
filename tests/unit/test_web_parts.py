"""The web app's server-side parts: plots, diffs, prompts, redirects after sign-in."""

from __future__ import annotations

from grader.web.markup import diff_lines, markdown, python_html
from grader.web.plots import colour, plot
from grader.web.security import safe_next
from submissions_schema import PlotSlice


def test_line_plot_marks_each_mismatch_and_skips_missing_values() -> None:
    data = PlotSlice(where="[0:4]", shape=[4], expected=[0, 1, 2, 3], actual=[0, 5, None, 3], mismatched=[1, 2])
    found = plot(data)
    assert found is not None and found.kind == "line"
    assert len(found.marks) == 1  # the missing (non-finite) value has no point to mark
    assert found.actual_path.count("M") == 2  # the line breaks at the gap
    assert "2 of 4 values differ" in found.summary


def test_heatmaps_share_one_scale() -> None:
    data = PlotSlice(where="[0:2, 0:2]", shape=[2, 2], expected=[0, 1, 2, 3], actual=[0, 1, 2, 9], mismatched=[3])
    found = plot(data)
    assert found is not None and [h.title for h in found.heatmaps] == ["expected", "actual", "|actual - expected|"]
    assert (found.low, found.high) == (0, 9)
    assert found.heatmaps[1].cells[3][4] == colour(1.0) and found.heatmaps[0].cells[0][4] == colour(0.0)


def test_diff_lines_show_removed_and_added() -> None:
    kinds = [(d.kind, d.text) for d in diff_lines("a\nb\nc\n", "a\nB\nc\n")]
    assert ("removed", "b") in kinds and ("added", "B") in kinds and kinds[0][0] == "hunk"


def test_markdown_escapes_html_and_marks_maths() -> None:
    html = markdown("Compute $a_i * v_j$ <script>x</script>")
    assert "<script>" not in html and '<span class="math inline">' in html


def test_highlighted_code_escapes_markup() -> None:
    assert "<script>" not in python_html("s = '<script>'\n")


def test_after_sign_in_only_local_paths() -> None:
    assert safe_next("/q/conv1d_full?x=1") == "/q/conv1d_full?x=1"
    for bad in ("https://evil.example/", "//evil.example/", "/\\evil.example", None, ""):
        assert safe_next(bad) == "/"
