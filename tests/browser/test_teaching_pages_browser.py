"""What a student does on the teaching pages, in real headless Chromium (one test per page).

Assertions after a click use Playwright's ``expect`` (which polls), because Streamlit redraws
after a rerun whose start and end a test cannot see directly.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from teach.lessons import LESSONS

# What scripts/run.sh serves; app_pages/1_Lessons.py is served at /Lessons, and so on.
APP = "app.py"
METRICS = '[data-testid="np-metrics"]'
MARKDOWN = '[data-testid="stMarkdownContainer"]'
RERUN = 30_000  # ms: a rerun after a click takes well under 1 s here (lessons train < 0.5 s)

pytestmark = pytest.mark.browser


def open_page(page, streamlit_url, path: str, ready_text: str) -> None:
    page.goto(streamlit_url(APP) + path)
    # Timeout: a cold start imports the engine and may load the Numba cache; 60 s on a busy box.
    page.get_by_text(ready_text).first.wait_for(timeout=60_000)


def choose(page, label: str, option: str) -> None:
    """Pick an option in the Streamlit selectbox with this label."""
    page.get_by_label(label, exact=True).first.click()
    # Timeout: the option list opens at once after the click.
    page.get_by_role("option").get_by_text(option, exact=True).click(timeout=5_000)


def metric(page, label: str):
    """The value element of the st.metric with this label."""
    return page.locator('[data-testid="stMetric"]', has_text=label).locator(
        '[data-testid="stMetricValue"]'
    )


def markdown_with(page, text: str):
    """Markdown blocks whose text (TeX source of formulas included) contains ``text``."""
    return page.locator(MARKDOWN).filter(has_text=text)


def readout_text(slug: str, key: str) -> str:
    """How the Lessons page shows one of a lesson's measured numbers (measured here too)."""
    lesson = LESSONS[slug]
    readout = next(readout for readout in lesson.readouts if readout.key == key)
    return readout.text(lesson.check())


def test_student_picks_a_lesson_and_reproduces_it_in_the_playground(page, streamlit_url):
    open_page(page, streamlit_url, "Lessons", "1. XOR needs a hidden layer")
    choose(page, "Lesson", "12. Optimiser race: SGD, momentum and Adam")
    expect(page.get_by_role("heading", name="12. Optimiser race")).to_be_visible(timeout=RERUN)
    expect(metric(page, "Final loss, Adam")).to_have_text(
        readout_text("optimizers", "final_loss_adam"), timeout=RERUN
    )
    expect(page).to_have_url(re.compile(r"lesson=optimizers"), timeout=RERUN)

    choose(page, "Lesson", "1. XOR needs a hidden layer")
    lesson = LESSONS["xor"]
    variant = lesson.variants[1]  # one hidden layer of 4 tanh units
    expect(metric(page, "Test accuracy, 4 hidden units")).to_have_text(
        readout_text("xor", "test_accuracy_hidden"), timeout=RERUN
    )
    with page.context.expect_page() as opened:  # the link opens a new tab
        page.get_by_role("link", name=variant.label).click()
    playground = opened.value
    playground_errors: list[str] = []
    playground.on("pageerror", lambda error: playground_errors.append(str(error)))
    # Timeout: the Playground's first load compiles or loads the engine; 60 s on a busy box.
    playground.locator(METRICS).first.wait_for(timeout=60_000)
    query = parse_qs(urlsplit(playground.url).query)
    assert query["dataset"] == ["xor"] and query["hidden"] == ["4"]
    assert query["stop_epoch"] == [str(lesson.epochs)]
    assert playground.locator(METRICS).first.get_attribute("data-epoch") == "0"

    # Press Play: the Playground stops at the lesson's budget with the lesson's numbers.
    playground.get_by_role("button", name="Play", exact=True).click()
    # Timeout: 300 epochs at 5 per frame are ~60 frames (~4 s at 15 frames/s); 60 s margin.
    playground.wait_for_function(
        f"() => document.querySelector('{METRICS}')?.dataset.epoch === '{lesson.epochs}'",
        timeout=60_000,
    )
    text = playground.locator(METRICS).first.inner_text()
    measured = lesson.run()[variant.key]
    accuracy = float(re.search(r"test accuracy ([0-9.]+)%", text).group(1))
    assert accuracy == pytest.approx(100 * measured.last("test_accuracy"), abs=0.05)
    train_loss = float(re.search(r"train loss ([0-9.]+)", text).group(1))
    assert train_loss == pytest.approx(measured.last("train_loss"), abs=0.0005)
    assert page.errors == [] and playground_errors == []


def test_student_compares_two_activations(page, streamlit_url):
    open_page(page, streamlit_url, "Activations", "Activation functions")
    expect(markdown_with(page, "z < −2.99 and z > 2.99")).to_have_count(1)  # tanh, on the left
    choose(page, "Activation", "ReLU")
    expect(markdown_with(page, "where: z < 0")).to_have_count(1, timeout=RERUN)
    choose(page, "Compare with", "Leaky ReLU")
    expect(markdown_with(page, "nowhere on [−6, 6]")).to_have_count(1, timeout=RERUN)
    legends = page.locator(".js-plotly-plot .legendtext")
    expect(legends.filter(has_text=re.compile(r"^ReLU: g\(z\)$"))).to_have_count(1, timeout=RERUN)
    expect(legends.filter(has_text="Leaky ReLU: g(z)")).to_have_count(1, timeout=RERUN)
    expect(page.locator(".js-plotly-plot")).to_have_count(2)
    assert page.errors == []


def test_student_steps_through_backprop_and_edits_a_weight(page, streamlit_url):
    open_page(page, streamlit_url, "Backprop", "Step 1 of 8")
    next_button = page.get_by_role("button", name="Next ▶")
    next_button.click()
    expect(page.get_by_text("Step 2 of 8: Forward: the hidden layer")).to_be_visible(timeout=RERUN)
    expect(markdown_with(page, "z_{h_1} = 0.270\\cdot1.000")).to_have_count(1, timeout=RERUN)

    # Edit w(x₁→h₁) in the hidden layer's table: select the row, move to h₁, Enter, type.
    page.get_by_text("Weights and biases: edit any cell").click()
    editor = page.locator('[data-testid="stDataFrame"]').first
    editor.wait_for(timeout=10_000)  # Timeout: the expander opens with a short animation.
    page.wait_for_timeout(500)  # Timeout: let the expander's animation end before measuring.
    box = editor.bounding_box()
    page.mouse.click(box["x"] + 20, box["y"] + 35 + 17)  # row x₁, in the index column
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    cell = page.locator(".gdg-input").first
    cell.wait_for(timeout=5_000)  # Timeout: the cell editor opens at once.
    cell.fill("2.5")
    page.keyboard.press("Enter")
    # The forward pass now uses the edited weight.
    expect(markdown_with(page, "z_{h_1} = 2.500\\cdot1.000")).to_have_count(1, timeout=RERUN)

    for step in range(3, 9):
        next_button.click()
        expect(page.get_by_text(f"Step {step} of 8")).to_be_visible(timeout=RERUN)
    step = markdown_with(page, "goes from")
    expect(step).to_have_count(1, timeout=RERUN)
    before, after = re.search(r"goes from (\d+\.\d+) to (\d+\.\d+)", step.inner_text()).groups()
    assert float(after) < float(before)  # one SGD step lowered this sample's loss
    expect(next_button).to_be_disabled()
    page.get_by_role("button", name="Continue from the new weights").click()
    expect(page.get_by_text("Step 2 of 8")).to_be_visible(timeout=RERUN)
    assert page.errors == []


def test_student_moves_a_logit_slider(page, streamlit_url):
    open_page(page, streamlit_url, "Softmax", "Why MSE is too strict")
    # Timeout: Streamlit loads st.metric's code lazily, so the metrics may draw after the text
    # below them (a fresh-clone CI run on a busy box took over 5 s).
    expect(metric(page, "Predicted")).to_have_text("class 1", timeout=RERUN)
    expect(metric(page, "Cross-entropy")).to_have_text("0.417")
    page.get_by_role("slider").nth(2).focus()  # class 3's logit
    page.keyboard.press("End")  # all the way up, to 6
    expect(metric(page, "Predicted")).to_have_text("class 3", timeout=RERUN)
    expect(metric(page, "Cross-entropy")).to_have_text("4.025", timeout=RERUN)
    bars = page.locator(".js-plotly-plot").first.locator("text.bartext")
    expect(bars.nth(2)).to_have_text("0.976", timeout=RERUN)  # e⁶ / (e² + e¹ + e⁶)
    assert page.errors == []


def test_a_first_load_straight_to_a_teaching_page_keeps_the_apps_navigation(page):
    # A server of its own: the first script run of the process must be this page's, since
    # Streamlit leaves its old pages-folder mode for good once any session ran st.navigation.
    from bench.browser import ROOT, free_port, streamlit_server

    port = free_port()
    with streamlit_server(ROOT / APP, port):
        page.goto(f"http://127.0.0.1:{port}/Backprop")
        nav = page.locator('[data-testid="stSidebarNav"]')
        # Timeout: a fresh server imports the engine and loads the Numba cache; 60 s on a busy box.
        expect(nav).to_contain_text("Playground", timeout=60_000)
        assert "app" not in nav.inner_text().split()
        expect(page.get_by_role("heading", name=re.compile("Back"))).to_be_visible()
