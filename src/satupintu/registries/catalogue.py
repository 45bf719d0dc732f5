"""Every registry and dataset the platform knows, by code and by name."""

from satupintu.registries import business, education, population
from satupintu.registries.base import Dataset, Registry

REGISTRIES: dict[str, Registry] = {
    registry.code: registry
    for registry in (population.REGISTRY, business.REGISTRY, education.REGISTRY)
}
DATASETS: dict[str, Dataset] = {
    dataset.name: dataset for registry in REGISTRIES.values() for dataset in registry.datasets
}
# Datasets that a person reads about as one thing: "your population record and family card".
COMBINED_LABELS = [
    ((population.PERSON.name, population.FAMILY_CARD.name), population.BOTH_LABEL),
]
