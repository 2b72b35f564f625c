"""Sweep: train many runs over a grid of settings on Dask, and see them as small multiples.

The setup (base, axes, seeds, epochs) goes into the page's URL when a sweep starts, and the
sweep's results are kept on the server under that setup (ui.sweep_cluster.sweep_store): a
reload, or the link, finds them again, also while the sweep still runs.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import streamlit as st

from playground.quote import code
from playground.settings import PlaygroundSettings
from playground.sweep import (
    AXES,
    MAX_AXES,
    PAGE_MAX_RUNS,
    Sweep,
    SweepError,
    SweepPlan,
    axis_labels,
    axis_texts,
    cells_of,
    crossed_out,
    heatmap_figure,
    plan_sweep,
)
from ui.sweep_cluster import client_for, configured_scheduler, sweep_store

NO_AXIS = ""
DEFAULT_AXES = (("lr", "0.003, 0.03, 0.3"), ("activation", "tanh; relu; sigmoid"), (NO_AXIS, ""))
MAX_SEEDS = 10
AXIS_ROLES = ("Rows", "Columns", "Tabs")  # what each axis becomes in the small multiples
THUMBNAIL_PX = 120  # drawn size of a 32 × 32 decision boundary: 4 cells fit 1280 px
DEFAULT_EPOCHS = 300
TOP_K = 10
POLL_SECONDS = 0.5  # the progress bar's refresh while a sweep runs
# The pictures, heat map and table's refresh while a sweep runs: they fill in as results
# arrive, less often than the bar (each refresh rebuilds every thumbnail element).
RESULTS_SECONDS = 2.0
PLAYGROUND_SETTINGS = "settings"  # ui.state's key of the Playground's settings in this session
URL_READ = "sweep_url_read"  # this session has taken the setup in the URL into the widgets


def axis_key(slot: int) -> str:
    return f"sweep_axis_{slot}"


def values_key(slot: int) -> str:
    return f"sweep_values_{slot}"


# ---------------------------------------------------------------- the setup and the URL


def base_query(settings: PlaygroundSettings) -> str:
    return urlencode(settings.to_query_params(), safe=",")


def parse_base(text: str) -> tuple[PlaygroundSettings, list[str]]:
    """The base setup from a Playground link or its query ("dataset=circle&lr=0.1")."""
    text = text.strip()
    query = urlsplit(text).query if "?" in text else text
    return PlaygroundSettings.from_query_params(parse_qs(query, keep_blank_values=True))


def setup_params(base: str, axes: list[tuple[str, str]], seeds: int, epochs: int) -> dict:
    """The URL's query for a sweep's setup."""
    params = {"base": base, "seeds": str(seeds), "epochs": str(epochs)}
    for slot, (name, values) in enumerate(axes, start=1):
        params[f"axis{slot}"], params[f"values{slot}"] = name, values
    return params


def take_url_into_widgets() -> None:
    """Once per session: the setup in the URL (a reload, a shared link) fills the widgets."""
    if st.session_state.get(URL_READ):
        return
    st.session_state[URL_READ] = True
    params = st.query_params
    playground = st.session_state.get(PLAYGROUND_SETTINGS)
    st.session_state["sweep_base"] = params.get(
        "base", base_query(playground or PlaygroundSettings())
    )
    for slot in range(1, MAX_AXES + 1):
        name, values = DEFAULT_AXES[slot - 1]
        if "base" in params:  # a sweep's link: its axes only
            name, values = params.get(f"axis{slot}", NO_AXIS), params.get(f"values{slot}", "")
        st.session_state[axis_key(slot)] = name if name in AXES else NO_AXIS
        st.session_state[values_key(slot)] = values
    st.session_state["sweep_seeds"] = _whole(params.get("seeds"), 1, 1, MAX_SEEDS)
    st.session_state["sweep_epochs"] = _whole(params.get("epochs"), DEFAULT_EPOCHS, 1, 100_000)


def _whole(text: str | None, default: int, low: int, high: int) -> int:
    try:
        return min(max(int(text), low), high) if text is not None else default
    except ValueError:
        return default


def plan_from(base_text: str, axes: list[tuple[str, str]], seeds: int, epochs: int) -> SweepPlan:
    """The sweep these inputs describe; raises ``SweepError`` with the sentence to show."""
    base, _ = parse_base(base_text)
    chosen = [(name, values) for name, values in axes if name]
    seed_list = range(base.init_seed, base.init_seed + seeds)
    return plan_sweep(base, chosen, seed_list, epochs, max_runs=PAGE_MAX_RUNS)


def plan_in_url() -> SweepPlan | None:
    """The sweep whose setup the URL holds (None: none, or one that no longer checks)."""
    params = st.query_params
    if "base" not in params:
        return None
    axes = [
        (params.get(f"axis{slot}", ""), params.get(f"values{slot}", ""))
        for slot in range(1, MAX_AXES + 1)
    ]
    try:
        return plan_from(
            params["base"],
            axes,
            _whole(params.get("seeds"), 1, 1, MAX_SEEDS),
            _whole(params.get("epochs"), DEFAULT_EPOCHS, 1, 100_000),
        )
    except SweepError:
        return None


# ---------------------------------------------------------------- the form


def suggest_values(slot: int) -> None:
    """A newly chosen axis gets example values to edit."""
    name = st.session_state[axis_key(slot)]
    st.session_state[values_key(slot)] = AXES[name].example if name else ""


def setup_form() -> tuple[str, list[tuple[str, str]], int, int, str, bool]:
    """The widgets: base setup and scheduler (folded), an axis and its values per column,
    seeds, epochs and Run; returns their values and whether Run was pressed."""
    with st.expander("Base setup, and where the runs go"):
        st.text_area(
            "Every run starts from this Playground setup (a link, or its part after ?)",
            key="sweep_base",
            height=90,
            help="Starts as this session's Playground setup. Paste any Playground link.",
        )
        st.text_input(
            "Dask scheduler (blank: this server's own cluster)",
            key="sweep_scheduler",
            placeholder="tcp://host:8786",
        )
    axes = []
    for slot, place in enumerate(st.columns(MAX_AXES), start=1):
        name = place.selectbox(
            AXIS_ROLES[slot - 1],
            [NO_AXIS, *AXES],
            key=axis_key(slot),
            format_func=lambda key: AXES[key].label if key else "—",
            on_change=suggest_values,
            args=(slot,),
        )
        hint = "separated by ;" if name and AXES[name].many_numbers else "separated by commas"
        values = place.text_input(f"Values, {hint}", key=values_key(slot), disabled=not name)
        axes.append((name, values))
    seeds_column, epochs_column, run_column = st.columns([1, 1, 1], vertical_alignment="bottom")
    seeds = seeds_column.number_input(
        "Replicate seeds",
        min_value=1,
        max_value=MAX_SEEDS,
        step=1,
        key="sweep_seeds",
        help="Each grid point is trained from this many initial weights (weight seeds "
        "counting up from the base's).",
    )
    epochs = epochs_column.number_input(
        "Epochs per run", min_value=1, max_value=100_000, step=50, key="sweep_epochs"
    )
    run = run_column.button("Run sweep", key="sweep_run", type="primary", width="stretch")
    scheduler = st.session_state["sweep_scheduler"].strip()
    return st.session_state["sweep_base"], axes, int(seeds), int(epochs), scheduler, run


def start_sweep(base: str, axes: list[tuple[str, str]], seeds: int, epochs: int, address: str):
    """Check the setup, then submit it; a plain sentence for anything that stops it."""
    try:
        plan = plan_from(base, axes, seeds, epochs)
    except SweepError as problem:
        st.error(f"{problem} Nothing was submitted.", icon="🛑")
        return
    try:
        client = client_for(address)
    except (OSError, TimeoutError, ValueError, TypeError):
        st.error(
            f"Could not reach a Dask scheduler at {code(address)}; nothing was submitted. "
            "Check the address (tcp://host:8786), or use this server's own cluster.",
            icon="🛑",
        )
        st.button("Use this server's own cluster", key="sweep_use_local", on_click=use_local)
        return
    sweep_store().start(plan, client)
    st.query_params.from_dict(setup_params(base, axes, seeds, epochs))


def use_local() -> None:
    st.session_state["sweep_scheduler"] = ""


# ---------------------------------------------------------------- progress and results


def progress(job: Sweep, live: bool) -> None:
    """done/total, runs/s and time left, filling as results arrive; Cancel while it runs."""
    job.collect()
    left = job.seconds_left()
    words = f"{job.done}/{job.total} runs · {job.runs_per_second():.1f} runs/s"
    if job.running:
        words += f" · about {left:.0f} s left" if left is not None else " · starting…"
    elif job.cancelled:
        words += f" · cancelled after {job.elapsed():.1f} s"
    else:
        words += f" · done in {job.elapsed():.1f} s"
    st.progress(job.done / job.total, text=words)
    if job.running:
        st.button("Cancel", key="sweep_cancel", on_click=job.cancel)
    elif live:  # it ended while this fragment was refreshing it: draw the results
        st.rerun(scope="app")
    for error in job.errors[:3]:
        st.error(f"A task failed: {code(error)}")


def playground_link(query: str) -> str:
    return f"/?{query}"


def thumbnail_grid(cells, plan: SweepPlan, fixed: tuple) -> None:
    """Rows × columns of decision boundaries (axis 1 × axis 2, at ``fixed`` of axis 3), each
    with its test loss (± the spread over seeds) and a link to it in the Playground."""
    rows, row_texts = axis_labels(plan, 0), axis_texts(plan, 0)
    columns = axis_labels(plan, 1) if len(plan.axes) > 1 else [None]
    widths = [1] * (len(columns) + 1)
    if columns != [None]:
        header = st.columns(widths)
        header[0].caption(f"{AXES[plan.axes[0][0]].label} ↓ {AXES[plan.axes[1][0]].label} →")
        for place, text in zip(header[1:], axis_texts(plan, 1)):
            place.markdown(f"**{text}**")
    for row, row_text in zip(rows, row_texts):
        places = st.columns(widths, vertical_alignment="center")
        places[0].markdown(f"**{row_text}**")
        for place, column in zip(places[1:], columns):
            key = (row, *fixed) if column is None else (row, column, *fixed)
            cell = cells.get(key)
            with place:
                if cell is None:
                    st.caption("not run")
                    continue
                picture = crossed_out(cell.thumbnail) if cell.diverged else cell.thumbnail
                st.image(picture, width=THUMBNAIL_PX, link=playground_link(cell.query))
                note = f"test loss {cell.loss_text()}"
                if cell.diverged:
                    where = f" at epoch {cell.diverged_at}" if cell.diverged_at else ""
                    note = f":red[diverged{where}] · " + (
                        f"{cell.diverged}/{cell.runs} seeds" if cell.runs > 1 else "no loss"
                    )
                st.caption(f"{note} · [open]({playground_link(cell.query)})")


def results(job: Sweep) -> None:
    """Small multiples, heat map, top-k table and CSV of what has arrived."""
    table = job.table()
    if table.empty:
        return
    plan = job.plan
    cells = cells_of(table, plan)
    if not plan.axes:
        st.dataframe(table.drop(columns=["thumbnail"]), hide_index=True)
        return
    classification = table["test_accuracy"].notna().any()
    metric = "test_loss"
    if classification:
        shown = st.radio(
            "Heat map (below the pictures) of",
            ["test loss", "test accuracy"],
            horizontal=True,
            key="sweep_metric",
        )
        metric = shown.replace(" ", "_")
    if len(plan.axes) == 3:
        name, _ = plan.axes[2]
        labels = axis_labels(plan, 2)
        tabs = st.tabs([f"{AXES[name].label} {text}" for text in axis_texts(plan, 2)])
        for tab, value in zip(tabs, labels):
            with tab:
                small_multiples(cells, plan, metric, (value,))
    else:
        small_multiples(cells, plan, metric, ())
    top_table(table)


def small_multiples(cells, plan: SweepPlan, metric: str, fixed: tuple) -> None:
    thumbnail_grid(cells, plan, fixed)
    figure = heatmap_figure(cells, plan, metric, fixed)
    st.plotly_chart(
        figure,
        key=f"sweep_heatmap_{'_'.join(map(str, fixed))}",
        config={"displayModeBar": False},
    )


def top_table(table) -> None:
    names = [c for c in table.columns if c not in ("thumbnail", "query", "run")]
    st.subheader(f"Top {min(TOP_K, len(table))} by test loss", anchor=False)
    best = table.sort_values("test_loss", na_position="last").head(TOP_K)
    shown = best[names].copy()
    shown.insert(0, "playground", best["query"].map(playground_link))
    st.dataframe(
        shown,
        hide_index=True,
        key="sweep_top",
        column_config={
            "playground": st.column_config.LinkColumn("Playground", display_text="open")
        },
    )
    st.download_button(
        "Download the table (CSV)",
        table.drop(columns=["thumbnail"]).to_csv(index=False),
        file_name="sweep.csv",
        mime="text/csv",
        key="sweep_csv",
    )


def recent_sweeps(current: Sweep | None) -> None:
    """This server's other recent sweeps, each a link to its page."""
    others = [job for job in sweep_store().recent() if job is not current]
    if not others:
        return
    with st.expander(f"Recent sweeps on this server ({len(others)})"):
        for job in others:
            plan = job.plan
            names = " × ".join(AXES[name].label for name, _ in plan.axes) or "seeds"
            state = "running" if job.running else "cancelled" if job.cancelled else "done"
            st.markdown(f"[{names}: {plan.n_runs} runs, {state}](?{urlencode(link_params(plan))})")


def link_params(plan: SweepPlan) -> dict:
    """A sweep's setup as its page's URL writes it."""
    axes = [(name, "; ".join(axis_texts(plan, i))) for i, (name, _) in enumerate(plan.axes)]
    return setup_params(base_query(plan.base), axes, len(plan.seeds), plan.epochs)


def render() -> None:
    take_url_into_widgets()
    if "sweep_scheduler" not in st.session_state:
        st.session_state["sweep_scheduler"] = configured_scheduler()
    base, axes, seeds, epochs, address, run = setup_form()
    if run:
        start_sweep(base, axes, seeds, epochs, address)
    plan = plan_in_url()
    job = sweep_store().get(plan) if plan is not None else None
    if plan is not None and job is None:
        st.info(
            "This sweep's results are not on this server (it restarted, or newer sweeps "
            "replaced them): press Run sweep to run it again."
        )
    if job is not None:
        live = job.running
        st.fragment(progress, run_every=POLL_SECONDS if live else None)(job, live)
        st.fragment(results, run_every=RESULTS_SECONDS if live else None)(job)
    recent_sweeps(job)


st.set_page_config(page_title="NeuroPlay — Sweep", page_icon="🧠", layout="wide")
st.title("Sweep", anchor=False)
st.caption(
    "Which learning rate works? Does ReLU beat tanh here? Choose up to three settings to vary "
    f"and their values (at most {PAGE_MAX_RUNS} runs): every combination is trained from the "
    "same setup, on Dask, and shown as its decision boundary. Click a picture to open that run "
    "in the Playground."
)
render()
