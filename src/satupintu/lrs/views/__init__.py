"""The xAPI resources under /xapi/: thin views over the LRS's services and selectors."""
