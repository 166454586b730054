"""pysaml2 attribute map for the SPID attributes the test IdP releases.

AgID "Regole tecniche" attributi.rst: the SAML attribute Name is the SPID name itself
(``saml:Attribute/@Name = "fiscalNumber"``) with NameFormat basic (SAML Core §8.2.1), so the
local name and the wire name are the same. pysaml2 loads every ``MAP`` of the modules in the
``attribute_map_dir`` folder (saml2.attribute_converter.ac_factory).
"""

BASIC = "urn:oasis:names:tc:SAML:2.0:attrname-format:basic"

_NAMES = ["fiscalNumber", "name", "familyName", "email", "spidCode", "mobilePhone"]

MAP = {
    "identifier": BASIC,
    "fro": {name: name for name in _NAMES},
    "to": {name: name for name in _NAMES},
}
