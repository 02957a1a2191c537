from goldendreams.core.export import csv_response, safe_cell


def test_formulas_are_quoted_and_other_cells_kept():
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_cell("+66 81 234 5678") == "'+66 81 234 5678"
    assert safe_cell("Ma Hla") == "Ma Hla"
    assert safe_cell("") == "" and safe_cell(None) == "" and safe_cell(3) == 3


def test_csv_response_is_an_attachment(app):
    response = csv_response([["name"], ["@cmd"]], "people")
    assert response.headers["Content-Disposition"] == "attachment; filename=people.csv"
    assert response.get_data(as_text=True).splitlines() == ["name", "'@cmd"]
