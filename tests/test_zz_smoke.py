import pytest
pytestmark = pytest.mark.django_db

def test_smoke(demo_site, client):
    r = client.post("/api/v1/petitions", {"category": "other", "name": "张三", "phone": "13812345678", "subject": "欠薪", "description": "老板拖欠工资三个月了", "consent": True}, content_type="application/json")
    print(r.status_code, r.json())
    body = r.json()
    r = client.post("/api/v1/petitions/lookup", {"tracking_no": body["tracking_no"], "access_code": body["access_code"]}, content_type="application/json")
    print(r.status_code, r.json())
    r = client.post("/api/v1/petitions/lookup", {"tracking_no": body["tracking_no"], "access_code": "x"}, content_type="application/json")
    print(r.status_code, r.json())
    r = client.post("/api/v1/petitions", "[1", content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    print(r.status_code, r.json())
    r = client.post("/api/v1/petitions", {"category": "integrity", "anonymous": True, "subject": "x", "description": "short", "consent": False}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    print(r.status_code, r.json())
    r = client.get("/api/v1/categories?lang=en")
    print(r.status_code, r.json()[:2])
    for url in ["/petitions/new/", "/en/petitions/new/integrity/", "/petitions/track/"]:
        r = client.get(url)
        print(url, r.status_code)
        assert r.status_code == 200
