"""Documents for people: the HTML reports and the annotation guidelines."""
