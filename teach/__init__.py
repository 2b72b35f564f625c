"""The teaching pages' logic: lessons, the activation explorer, back-prop and softmax.

Computation and figure builders here are pure (arrays in, numbers or Plotly figures out);
the Streamlit wiring lives in ``app_pages/``.  Lessons train their configurations exactly as
the Playground does (``playground.run``), so a lesson's link reproduces its numbers.
"""
