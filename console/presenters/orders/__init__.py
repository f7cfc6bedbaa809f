"""The order on the right: loading the selected order, and the forms of its actions."""
