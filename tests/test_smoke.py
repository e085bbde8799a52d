def test_home_lists_the_loaded_conference(client, dockercon):
    response = client.get("/")
    assert response.status_code == 200
    assert "DockerCon 2017" in response.content.decode()
