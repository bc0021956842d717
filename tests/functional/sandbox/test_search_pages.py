"""Finding a client in the sandbox, as an HMIS asks: search first, then create; the trainee's own client list."""

import re


def test_search_first_then_create_offers_the_new_client_link(trainee_client):
    html = trainee_client.get("/sandbox/?first_name=Maria&last_name=Lopez").get_data(as_text=True)
    assert "0 clients found" in html and "Not found: create a new client" in html
    assert trainee_client.get("/sandbox/?ssn4=12").status_code == 400


def test_create_client_and_find_them_by_name_dob_and_ssn(trainee_client, make_sandbox_client):
    make_sandbox_client(trainee_client)
    for query in ("last_name=lopez", "first_name=maria", "first_name=maria&last_name=lopez", "dob=1988-04-12",
                  "ssn4=4321"):
        assert "Maria Lopez" in trainee_client.get(f"/sandbox/?{query}").get_data(as_text=True), query


def test_home_lists_my_clients_by_name_in_pages(trainee_client, make_sandbox_client, monkeypatch):
    from sandbox.views import workspace

    html = trainee_client.get("/sandbox/").get_data(as_text=True)
    assert "You have no clients yet" in html
    for first, last in (("Zoe", "Young"), ("Ann", "Abbott"), ("Mia", "Moore")):
        make_sandbox_client(trainee_client, FirstName=first, LastName=last, SSN="", SSNDataQuality="99",
                            confirm_new="y")
    html = trainee_client.get("/sandbox/").get_data(as_text=True)
    listed = re.findall(r'/sandbox/clients/[0-9a-f]{32}">([^<]+)</a>', html.split('<h2 id="my-clients">')[1])
    assert listed == ["Ann Abbott", "Mia Moore", "Zoe Young"]
    monkeypatch.setattr(workspace, "CLIENTS_PER_PAGE", 2)
    first = trainee_client.get("/sandbox/").get_data(as_text=True).split('<h2 id="my-clients">')[1]
    second = trainee_client.get("/sandbox/?page=2").get_data(as_text=True).split('<h2 id="my-clients">')[1]
    assert "Ann Abbott" in first and "Zoe Young" not in first and "Page 1 of 2" in first
    assert "Zoe Young" in second and "Ann Abbott" not in second


def test_empty_search_explains_and_still_shows_my_clients(trainee_client, make_sandbox_client):
    make_sandbox_client(trainee_client)
    resp = trainee_client.get("/sandbox/?first_name=&last_name=&dob=&ssn4=")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "Type a first or last name, a date of birth or the last 4" in html
    assert "Maria Lopez" in html.split('<h2 id="my-clients">')[1]


def test_not_found_create_carries_each_searched_field_into_the_same_field(trainee_client):
    html = trainee_client.get("/sandbox/?last_name=Lopez&dob=1988-04-12&ssn4=4321").get_data(as_text=True)
    link = re.search(r'href="(/sandbox/clients/new[^"]*)"[^>]*>Not found: create a new client', html).group(1)
    form = trainee_client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert re.search(r'id="LastName" [^>]*value="Lopez"', form) and re.search(r'id="FirstName" [^>]*value=""', form)
    assert 'value="1988-04-12"' in form and 'value="xxxxx4321"' in form
    html = trainee_client.get("/sandbox/?first_name=Maria").get_data(as_text=True)
    link = re.search(r'href="(/sandbox/clients/new[^"]*)"', html).group(1)
    assert link == "/sandbox/clients/new?first=Maria"
