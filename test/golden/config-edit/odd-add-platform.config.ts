// our images
import {defineConfig} from "multiarch"

export default defineConfig({
    registries: {
        hub: {url: "docker.io"} // pushed with docker login
    },
    images: {
        "web": {
            context: "./web",
            platforms: [
                "linux/amd64",
                "linux/arm64", // graviton
                "linux/arm/v7"
            ],
            tags: ["v1"],
            publish: [{registry: "hub", repository: "team/web"}]
        }
        /* more images below */
    }
})
