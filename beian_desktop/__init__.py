"""beian-desktop: SMS verification (短信核验) of ICP filings for the staff who run it."""

__version__ = "0.1.0"
