"""The pages of data protection: a person's requests (``person``), the data protection
officers' queue of requests (``officer``) and the breach register (``breaches``)."""
