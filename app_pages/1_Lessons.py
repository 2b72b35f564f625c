"""Lessons: one idea at a time, each a claim the engine demonstrates (see teach/lessons.py)."""

import streamlit as st

from playground.quote import code, plain
from teach.lesson_figures import FIGURES
from teach.lessons import LESSON_LIST, LESSONS, SEED_PAIRS, Lesson, LessonRun, lesson_label

PICKER = "lesson"
SLUGS = [lesson.slug for lesson in LESSON_LIST]


@st.cache_data(show_spinner="Training this lesson's networks…", max_entries=64)
def lesson_run(slug: str) -> LessonRun:
    """Train a lesson's configurations once per process (fixed seeds: always the same)."""
    return LESSONS[slug].run()


def choose(slug: str) -> None:
    """Button callback: show ``slug`` (idempotent: it sets, never steps)."""
    st.session_state[PICKER] = slug
    st.query_params["lesson"] = slug


def remember_choice() -> None:
    st.query_params["lesson"] = st.session_state[PICKER]


def lesson_picker() -> Lesson:
    """The lesson selectbox (first filled from ``?lesson=`` in the link) and prev/next."""
    if PICKER not in st.session_state:
        wanted = st.query_params.get("lesson", SLUGS[0])
        if wanted not in LESSONS:
            st.info(f"There is no lesson called {code(wanted)}, so here is the first one.")
            wanted = SLUGS[0]
            st.query_params["lesson"] = wanted  # the address says what the page shows
        st.session_state[PICKER] = wanted
    picker, back, forward = st.columns([6, 1, 1], vertical_alignment="bottom")
    slug = picker.selectbox(
        "Lesson", SLUGS, format_func=lesson_label, key=PICKER, on_change=remember_choice
    )
    index = SLUGS.index(slug)
    back.button(
        "Previous",
        key="lesson_previous",
        on_click=choose,
        args=(SLUGS[index - 1],),
        disabled=index == 0,
        width="stretch",
    )
    forward.button(
        "Next",
        key="lesson_next",
        on_click=choose,
        args=(SLUGS[min(index + 1, len(SLUGS) - 1)],),
        disabled=index == len(SLUGS) - 1,
        width="stretch",
    )
    return LESSONS[slug]


def lesson_text(lesson: Lesson) -> None:
    st.write(lesson.story)
    for name, formula in lesson.equations:  # the rules the lesson is about
        st.markdown(f"**{name}**")
        st.latex(formula)
    st.markdown(f"**The claim.** {lesson.claim}")
    st.markdown(f"**What to look for.** {lesson.look_for}")
    st.markdown(f"**Try this next.** {lesson.try_next}")


def playground_links(lesson: Lesson) -> None:
    st.markdown("**Open in the Playground** (a new tab; press Play there):")
    columns = st.columns(len(lesson.variants))
    for column, variant in zip(columns, lesson.variants):
        column.link_button(
            variant.label,
            variant.playground_link(),
            key=f"open_{lesson.slug}_{variant.key}",
            icon=":material/open_in_new:",
            width="stretch",
        )


def measured_numbers(lesson: Lesson, run: LessonRun) -> None:
    numbers = lesson.measure(run)
    budget = f"{lesson.epochs} epochs" if lesson.epochs else "before any training"
    st.markdown(f"**Measured in our engine** ({budget}, fixed seeds, as in the Playground):")
    for readout in lesson.readouts:
        st.metric(readout.label, readout.text(numbers))
    failed = set(lesson.failed_clauses(numbers))
    with st.expander(f"The claim, part by part (tested on {len(SEED_PAIRS)} pairs of seeds)"):
        for clause in lesson.clauses:
            st.markdown(f"{'✗' if clause.words in failed else '✓'} {clause.words}")
        st.caption(
            "Each part is checked on every (data seed, weight seed) pair "
            f"{', '.join(map(str, SEED_PAIRS))}; the numbers above are for the first."
        )


def figures(lesson: Lesson, run: LessonRun) -> None:
    for name in lesson.figures:
        st.plotly_chart(
            FIGURES[name](run),
            key=f"figure_{lesson.slug}_{name}",
            config={"displayModeBar": False},
        )


def render() -> None:
    lesson = lesson_picker()
    st.subheader(f"{lesson.number}. {lesson.title}", anchor=False)
    try:
        run = lesson_run(lesson.slug)
    except ValueError as error:  # a configuration the engine refuses: say so, no traceback
        st.error(f"This lesson could not be trained: {plain(error)}")
        return
    text, evidence = st.columns([3, 2], gap="large")
    with text:
        lesson_text(lesson)
    with evidence:
        measured_numbers(lesson, run)
    figures(lesson, run)
    playground_links(lesson)


st.set_page_config(page_title="NeuroPlay — Lessons", page_icon="🧠", layout="wide")
st.title("Lessons", anchor=False)
st.caption(
    "Each lesson makes one claim and shows it: the numbers are measured by training the "
    "lesson's networks with fixed seeds, exactly as the Playground would."
)
render()
