"""The pytest plugin, exercised with pytester: fixtures, per-test reset, the mockapi_config marker over
mockapi_config_defaults, and kubectl_version with the kubectl_matrix marker."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

ARGS = ("-p", "no:xdist", "-p", "no:cacheprovider", "-o", "asyncio_default_fixture_loop_scope=function")


def test_fixtures_reset_and_marker(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        from mockapi.testing.client import ApiClient

        def test_create(mockapi):
            client = ApiClient(mockapi)
            body = {"metadata": {"name": "leftover"}, "data": {"a": "b"}}
            assert client.post("/api/v1/namespaces/default/configmaps", body).status == 201

        def test_reset_between_tests(mockapi, mockapi_url):
            assert mockapi_url.startswith("https://127.0.0.1:")
            reply = ApiClient(mockapi).get("/api/v1/namespaces/default/configmaps/leftover")
            assert reply.status == 404

        def test_kubeconfig_for_any_user(mockapi_kubeconfig):
            text = mockapi_kubeconfig("alice", ["dev"]).read_text()
            assert "client-certificate-data" in text and "alice" in text

        def test_kubeconfig_for_a_service_account_or_a_token(mockapi, mockapi_kubeconfig):
            import yaml

            config = yaml.safe_load(mockapi_kubeconfig("builder", service_account="default/default").read_text())
            token = config["users"][0]["user"]["token"]
            review = {"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"}
            reply = ApiClient(mockapi, None).post(
                "/apis/authentication.k8s.io/v1/selfsubjectreviews", review, {"Authorization": f"Bearer {token}"}
            )
            assert reply.json()["status"]["userInfo"]["username"] == "system:serviceaccount:default:default"
            plain = yaml.safe_load(mockapi_kubeconfig("t", token="abc").read_text())
            assert plain["users"][0]["user"] == {"token": "abc"}

        @pytest.mark.mockapi_config(authorization_modes=("AlwaysDeny",))
        def test_dedicated_server(mockapi):
            assert ApiClient(mockapi, "bob", ()).get("/api/v1/namespaces").status == 403
        """
    )
    result = pytester.runpytest(*ARGS)
    result.assert_outcomes(passed=5)


def test_config_defaults_under_marker_fields(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import pytest

        @pytest.fixture(scope="session")
        def mockapi_config_defaults():
            return {"namespace_deletion_grace_period": 0.25, "watch_history": 50}
        """
    )
    pytester.makepyfile(
        """
        import pytest

        def test_session_server(mockapi):
            assert mockapi.config.namespace_deletion_grace_period == 0.25

        @pytest.mark.mockapi_config(namespace_deletion_grace_period=2.0)
        def test_marker_wins(mockapi):
            assert mockapi.config.namespace_deletion_grace_period == 2.0
            assert mockapi.config.watch_history == 50
        """
    )
    result = pytester.runpytest(*ARGS)
    result.assert_outcomes(passed=2)


def test_kubectl_version_edges_matrix_and_ranges(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        def test_edges(kubectl_version):
            pass

        @pytest.mark.kubectl_matrix
        def test_matrix(kubectl_version):
            pass

        @pytest.mark.kubectl_versions(since="1.28")
        def test_since(kubectl_version):
            pass

        @pytest.mark.kubectl_matrix
        @pytest.mark.kubectl_versions(until="1.28")
        def test_matrix_until(kubectl_version):
            pass

        @pytest.mark.parametrize("kubectl_version", ["1.30"])
        def test_own_choice(kubectl_version):
            pass
        """
    )
    args = (*ARGS, "--collect-only", "-q")
    ids = [line.split("::")[1] for line in pytester.runpytest(*args).outlines if "::" in line]
    assert ids == [
        "test_edges[1.27]",
        "test_edges[1.33]",
        *(f"test_matrix[1.{minor}]" for minor in range(27, 34)),
        "test_since[1.28]",
        "test_since[1.33]",
        "test_matrix_until[1.27]",
        "test_matrix_until[1.28]",
        "test_own_choice[1.30]",
    ]
    full = pytester.runpytest(*args, "--kubectl-matrix", "-k", "test_edges or test_since")
    assert [line.split("::")[1] for line in full.outlines if "::" in line] == [
        *(f"test_edges[1.{minor}]" for minor in range(27, 34)),
        *(f"test_since[1.{minor}]" for minor in range(28, 34)),
    ]
