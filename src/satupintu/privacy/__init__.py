"""Data protection (UU PDP 27/2022): a person's requests to correct or delete their data,
retention rules per kind of record, and the register of personal-data breaches."""
