"""Code that two or more hoagiai services truly share."""
