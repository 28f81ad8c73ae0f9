"""What serves a Kedro run of this project: hooks, the input check before the first node,
short error messages, and finding the project, the Dask cluster."""
