"""The socio-economic model of an association: where its resources come from, how
concentrated its funders are, how its resources shift from one exercice to the next."""
