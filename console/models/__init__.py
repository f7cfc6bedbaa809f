"""Qt item models adapting the console's state and the wire's lists: one package per feature
(orders, intake, dispatch, grab, policies, technicians); `row_table` is the base they share."""
