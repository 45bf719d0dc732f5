"""Government registries behind once-only prefill: population (Dukcapil), business (OSS) and
education (Dapodik), read through adapters with the citizen's recorded consent."""
