"""The domain core: emotions, valence/arousal, ranking, fusion, goals, reasons and input
checks. Plain Python and NumPy/pandas: nothing here imports Kedro or reads or writes a file
(docs/architecture.md; enforced by the import contracts in pyproject.toml)."""
