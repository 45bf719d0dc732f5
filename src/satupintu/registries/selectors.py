"""Reads of the registries' catalogue, for pages that speak about datasets (the consent
section of the profile, a consent question)."""

from satupintu.registries.catalogue import COMBINED_LABELS, DATASETS


def registry_dataset_names() -> list[str]:
    """The names of every dataset (``population.person``, …), as catalogue files use them."""
    return list(DATASETS)


def registry_dataset_labels(*, datasets: list[str]) -> list[str]:
    """Plain names of ``datasets`` in the active language, in the order given; both
    population datasets together are one: "Data kependudukan dan kartu keluarga
    (Dukcapil)". A name the platform does not know is shown as it is."""
    names = list(dict.fromkeys(datasets))
    labels: list[str] = []
    named: set[str] = set()
    for name in names:
        if name in named:
            continue
        for group, label in COMBINED_LABELS:
            if name in group and set(group) <= set(names):
                labels.append(str(label))
                named.update(group)
                break
        else:
            dataset = DATASETS.get(name)
            labels.append(str(dataset.label) if dataset is not None else name)
            named.add(name)
    return labels
