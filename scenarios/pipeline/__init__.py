"""The pipeline: one scenario through its stages, tables in and tables out.

demand -> requirements -> schedule -> simulate -> cost -> summary; each stage
hands the next a documented long table (``channel`` or ``group``,
``interval_start``). ``run_scenario`` is the one entry point; ``run_many``
runs several, serially, on local processes or on Dask.
"""
