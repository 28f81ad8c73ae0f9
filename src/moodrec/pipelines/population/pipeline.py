"""``population``: persons' emotion probabilities, as partitioned Parquet, -> each person's
top k excerpts, as partitioned Parquet (README.md). ``--env dask`` runs it on a Dask cluster."""

from kedro.pipeline import Node, Pipeline

from moodrec.pipelines.population.nodes import recommend_population


def create_pipeline(**kwargs) -> Pipeline:
    return Pipeline(
        [
            Node(
                func=recommend_population,
                inputs=["population_emotions", "emotion_va_points", "recommendable_excerpts",
                        "params:recommendation", "params:va_mapping", "params:population_ranking"],
                outputs="population_recommendations",
                name="recommend_population",
            ),
        ]
    )
