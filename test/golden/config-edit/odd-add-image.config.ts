// our images
import {defineConfig} from "multiarch"

export default defineConfig({
    registries: {
        hub: {url: "docker.io"}, // pushed with docker login
        ghcr: { url: "ghcr.io" }
    },
    images: {
        "web": {
            context: "./web",
            platforms: [
                "linux/amd64",
                "linux/arm64" // graviton
            ],
            tags: ["v1"],
            publish: [{registry: "hub", repository: "team/web"}]
        },
        /* more images below */
        api: {
            context: "./api",
            platforms: ["linux/amd64", "linux/arm64"],
            tags: ["v1"],
            publish: [
                { registry: "ghcr", repository: "team/api" },
                { registry: "hub", repository: "team/api" }
            ]
        }
    }
})
